"""A real SMTP server on a free loopback port (aiosmtpd) for the mail tests: the `smtp` fixture
(tests/conftest.py) starts one and sends the site's mail to it."""

import email
import email.policy
import socket
import threading
from collections import Counter

# What the site's mail says it is from while the `smtp` fixture is on.
SENDER = "site@example.org"


class Inbox:
    """Keeps every message the server accepts, as sent (`envelopes`) and parsed (`messages`:
    (recipients, message) pairs); refuses every message after `accept` (when set) with a 554,
    as a server that gives up mid-run does."""

    def __init__(self):
        self.envelopes = []
        self.messages = []
        self.accept = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.accept is not None and len(self.messages) >= self.accept:
                return "554 Transaction failed: no more today"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.envelopes.append(envelope)
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]

    def per_address(self):
        return Counter(address for rcpt, _ in self.messages for address in rcpt)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

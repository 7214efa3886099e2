"""A real SMTP server on a free loopback port (aiosmtpd), the site's mail sent to it, and
subscribers built the way readers become subscribers."""

import datetime
import email
import email.policy
import logging
import re
import socket
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from subscriptions.models import Frequency, Subscriber
from tests import factories

LINK_RE = re.compile(r"https?://[^\s\"<>]+")


class Inbox:
    """Keeps every message the server accepts, parsed; refuses every message after `accept`
    (when set) with a 554, as a server that gives up mid-run does."""

    def __init__(self):
        self.messages = []
        self.accept = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.accept is not None and len(self.messages) >= self.accept:
                return "554 Transaction failed: no more today"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
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


@pytest.fixture
def smtp():
    """The inbox of a local SMTP server, with the site's mail going to it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": controller.port,
        "DEFAULT_FROM_EMAIL": "news@example.org",
    }
    with override_settings(**settings):
        yield inbox
    controller.stop()


def parts(message):
    """(plain text, HTML) of a two-part message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def links(text):
    return LINK_RE.findall(text)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def subscribe(address, frequency=Frequency.EACH_POST, since=None):
    """A confirmed subscriber, as one who followed the confirmation link at `since`."""
    since = since or timezone.now() - datetime.timedelta(minutes=5)
    return Subscriber.objects.create(
        email=address, frequency=frequency, confirmed_at=since, since=since
    )


@pytest.fixture
def site(index):
    """The home page, the posts' index and a compilation, published."""
    compilation = factories.make_compilation(
        index.get_parent().specific, [factories.section("Caching", [])]
    )
    return index, compilation

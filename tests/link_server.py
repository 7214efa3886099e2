"""A local HTTP server on 127.0.0.1 for link checker tests: never the internet.

Paths: /ok (200), /moved (301 → /ok), /twice (302 → /moved), /missing (404), /error (500),
/no-head (405 to HEAD, 200 to GET), /loop (302 to itself), /slow (answers after `slow_seconds`),
/hold/<n> (200 once `hold_for` requests from the same Host and `hold_total` in all have been in
flight together, or after 2s: lets a test see how many requests per host the checker runs at once).
It listens on the first free port of the engineer's range (8400-8499).
"""

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8400, 8500)


def free_port():
    """A port of our range that nothing listens on (for "connection refused")."""
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8400-8499")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, status, location=None, body=b"ok"):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self):
        server = self.server
        host = (self.headers.get("Host") or "").split(":")[0]
        with server.lock:
            server.requests.append((self.command, host, self.path))
        path = self.path.split("?")[0]
        if path == "/ok":
            return self._answer(200)
        if path == "/moved":
            return self._answer(301, "/ok")
        if path == "/twice":
            return self._answer(302, f"http://{self.headers.get('Host')}/moved")
        if path == "/missing":
            return self._answer(404, body=b"not here")
        if path == "/error":
            return self._answer(500, body=b"oops")
        if path == "/no-head":
            return self._answer(405 if self.command == "HEAD" else 200)
        if path == "/loop":
            return self._answer(302, "/loop")
        if path == "/slow":
            server.release.wait(server.slow_seconds)
            return self._answer(200)
        if path.startswith("/hold/"):
            return self._hold(host)
        return self._answer(404, body=b"unknown path")

    def _hold(self, host):
        server = self.server
        with server.cond:
            server.in_flight[host] += 1
            server.max_in_flight[host] = max(server.max_in_flight[host], server.in_flight[host])
            total = sum(server.in_flight.values())
            server.max_total = max(server.max_total, total)
            server.cond.notify_all()
            deadline = time.monotonic() + 2
            # Wait until the peak has been reached once; after that nobody waits.
            while time.monotonic() < deadline and (
                server.max_in_flight[host] < server.hold_for or server.max_total < server.hold_total
            ):
                server.cond.wait(deadline - time.monotonic())
            # Leave the count before answering, so it never counts a request already answered.
            server.in_flight[host] -= 1
        self._answer(200)

    def do_HEAD(self):
        self._route()

    def do_GET(self):
        self._route()


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, slow_seconds=3.0, hold_for=2, hold_total=0):
        self.slow_seconds = slow_seconds
        self.hold_for = hold_for
        self.hold_total = hold_total
        self.lock = threading.Lock()
        self.cond = threading.Condition()
        self.release = threading.Event()
        self.requests = []
        self.in_flight = Counter()
        self.max_in_flight = Counter()
        self.max_total = 0
        super().__init__(("127.0.0.1", free_port()), _Handler)
        self.port = self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path, host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def stop(self):
        self.release.set()
        self.shutdown()
        self.server_close()

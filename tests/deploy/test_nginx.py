"""deploy/nginx.conf, run by Debian's nginx in front of a stand-in app on 127.0.0.1: its
micro-cache keeps only what the page cache marked public, and never answers a request that
carries a session, CSRF or messages cookie or credentials from it."""

import http.client
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy.cluster import nginx_command
from tests.link_server import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not Path(NGINX).exists(),
    reason="needs Debian's nginx (make cluster and CI install it)",
)


class App(BaseHTTPRequestHandler):
    """/public/ as the page cache answers a public page; /private/ as anything else."""

    protocol_version = "HTTP/1.1"
    calls = Counter()

    def log_message(self, *args):
        pass

    def do_GET(self):
        App.calls[self.path] += 1
        body = f"{self.path} {App.calls[self.path]}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=60, s-maxage=300")
        if self.path.startswith("/public/"):
            self.send_header("X-Page-Cache", "miss")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def front(tmp_path):
    App.calls.clear()
    app = ThreadingHTTPServer(("127.0.0.1", free_port()), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    (tmp_path / "files").mkdir()
    command = nginx_command(
        tmp_path / "nginx",
        [f"127.0.0.1:{app.server_port}"],
        f"127.0.0.1:{port}",
        static=tmp_path / "files",
        media=tmp_path / "files",
    )
    nginx = subprocess.Popen(  # noqa: S603 - Debian's nginx with our config
        command,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            get(port, "/private/")
            break
        except OSError:
            time.sleep(0.1)
    App.calls.clear()
    yield port
    nginx.terminate()
    nginx.wait(timeout=10)
    app.shutdown()


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("X-Front-Cache"), response.read().decode()
    finally:
        connection.close()


def test_a_public_page_is_answered_by_nginx_after_the_first_request(front):
    first, second, third = (get(front, "/public/") for _ in range(3))

    assert App.calls["/public/"] == 1
    assert (first[1], second[1], third[1]) == ("MISS", "HIT", "HIT")
    assert second[2] == first[2] == "/public/ 1"


def test_a_response_the_page_cache_did_not_mark_public_is_never_kept(front):
    get(front, "/private/")
    get(front, "/private/")

    assert App.calls["/private/"] == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=abc"},
        {"Cookie": "theme=dark; csrftoken=abc"},
        {"Cookie": "messages=xyz"},
        {"Authorization": "Basic eDp5"},
    ],
)
def test_a_signed_in_or_personal_request_always_reaches_the_app(front, headers):
    get(front, "/public/")  # kept for everyone else

    status, state, body = get(front, "/public/", **headers)

    assert status == 200 and state == "BYPASS"
    assert body == "/public/ 2"


def test_an_expired_copy_is_refreshed_from_the_app(front):
    get(front, "/public/")
    time.sleep(1.2)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and get(front, "/public/")[2] != "/public/ 2":
        time.sleep(0.1)

    assert App.calls["/public/"] == 2
    assert get(front, "/public/")[2] == "/public/ 2"

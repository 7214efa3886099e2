"""A local package index on 127.0.0.1 (never the internet) and a compilation whose sections
carry applies-to labels, for the freshness tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from tests import factories
from tests.link_server import free_port

RELEASES = {
    "Django": "6.1",
    "celery": "5.7.0",
    "gunicorn": "27.0.1",
    "djangorestframework": "3.18.1",
}


class _IndexHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        # /pypi/<package>/json, like the real index
        parts = self.path.strip("/").split("/")
        version = self.server.releases.get(parts[1]) if len(parts) == 3 else None
        if parts[-1] == "json" and version == "garbage":
            body, status = b"<html>not json</html>", 200
        elif parts[-1] == "json" and version:
            body, status = json.dumps({"info": {"version": version}}).encode(), 200
        else:
            body, status = b'{"message": "Not Found"}', 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def package_index():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _IndexHandler)
    server.releases = dict(RELEASES)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/pypi"
    with override_settings(FRESHNESS_INDEX_URL=url):
        yield server
    server.shutdown()
    server.server_close()


def labelled(heading, applies_to):
    value = factories.section(heading, [factories.link_entry()])
    value["value"]["applies_to"] = applies_to
    return value


@pytest.fixture
def labelled_post(index):
    return factories.make_post(index, title="Deploying", applies_to="Django 5.2, gunicorn 23")


@pytest.fixture
def compilation(home):
    return factories.make_compilation(
        home,
        [
            labelled("Tasks", "Django 5.2, Celery 5.5"),
            labelled("Deployment", "Django 5.2, gunicorn 27"),
            labelled("APIs", "Django REST framework 3.16, PostgreSQL 18"),
        ],
    )

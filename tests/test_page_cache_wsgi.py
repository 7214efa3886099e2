"""The WSGI layer in front of Django (site_project/wsgi.py) answers page cache hits itself.

A page is first rendered and stored through Django (the test client); the layer is then called
as gunicorn calls it, with an application behind it that records whether it was reached.
"""

import io
import sys

import pytest

from serving.page_cache import PageCacheApplication
from tests import factories


class Behind:
    """Stands for Django's handler: answers 200 "from django" and counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from django"]


def call(app, path, method="GET", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        names = [name.lower() for name, _ in headers]
        assert len(names) == len(set(names)), f"a header is sent twice: {names}"
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def stored(client, index, settings):
    """A post whose page the site has rendered once for an anonymous reader, and its HTML."""
    settings.PAGE_CACHE_SECONDS = 300
    post = factories.make_post(index, title="Served early")
    response = client.get(post.url, HTTP_HOST="localhost")
    assert response["X-Page-Cache"] == "miss"
    return post, response


@pytest.mark.django_db
def test_a_stored_page_is_answered_without_reaching_django(stored):
    post, rendered = stored
    behind = Behind()

    status, headers, body = call(PageCacheApplication(behind), post.url)

    assert behind.calls == 0
    assert status == "200 OK"
    assert body == rendered.content
    assert headers["X-Page-Cache"] == "hit"
    assert headers["Content-Length"] == str(len(rendered.content))
    assert headers["Content-Security-Policy"] == rendered["Content-Security-Policy"]


@pytest.mark.django_db
def test_head_gets_headers_only(stored):
    post, rendered = stored

    _, headers, body = call(PageCacheApplication(Behind()), post.url, method="HEAD")

    assert body == b""
    assert headers["Content-Length"] == str(len(rendered.content))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "csrftoken=abc; theme=dark"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"HTTP_HOST": "evil.example"},
        {"wsgi.url_scheme": "https"},
        {"REQUEST_METHOD": "POST"},
        {"QUERY_STRING": "page=2"},
    ],
)
def test_anything_personal_or_different_goes_on_to_django(stored, extra):
    post, _ = stored
    behind = Behind()

    _, _, body = call(PageCacheApplication(behind), post.url, **extra)

    assert behind.calls == 1
    assert body == b"from django"


@pytest.mark.django_db
def test_an_unrelated_cookie_still_gets_the_cached_page(stored):
    post, rendered = stored

    _, _, body = call(PageCacheApplication(Behind()), post.url, HTTP_COOKIE="theme=dark")

    assert body == rendered.content


@pytest.mark.django_db
def test_publishing_makes_the_layer_pass_the_request_on(stored):
    post, _ = stored
    behind = Behind()
    post.title = "Served early, revised"
    factories.publish(post)

    call(PageCacheApplication(behind), post.url)

    assert behind.calls == 1


@pytest.mark.django_db
def test_the_layer_is_off_when_the_page_cache_is(stored, settings):
    post, _ = stored
    settings.PAGE_CACHE_SECONDS = 0
    behind = Behind()

    call(PageCacheApplication(behind), post.url)

    assert behind.calls == 1


def test_the_served_application_has_the_layer_in_front():
    from site_project import wsgi

    assert isinstance(wsgi.application, PageCacheApplication)

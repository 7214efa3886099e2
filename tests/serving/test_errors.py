"""Error pages (serving/errors.py and templates/404.html): friendly, standalone, and a "back in
a moment" page while the database is unreachable."""

import pytest
from django.db import InternalError
from django.test import Client
from django.views.defaults import server_error

from serving import errors
from tests.isolated import run_production


@pytest.mark.django_db
def test_unknown_page_gets_the_custom_404(client, home):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_page_gets_the_site_404_with_debug_on(client, home, settings):
    settings.DEBUG = True

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "<style" not in html and 'style="' not in html
    assert "site.css" in html


def test_server_error_page_is_friendly_and_standalone(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'href="/"' in html


def test_pages_answer_503_with_retry_after_while_the_database_is_down(tmp_path):
    result = run_production(
        """
        from django.test import Client
        client = Client(raise_request_exception=False)
        response = client.get("/posts/", HTTP_HOST="example.com", secure=True)
        print(json.dumps([
            response.status_code, response.get("Retry-After"), response.get("Cache-Control"),
            response.content.decode(),
        ]))
        """,
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
    )

    status, retry_after, cache_control, html = result
    assert (status, retry_after, cache_control) == (503, "10", "no-store")
    assert "Back in a moment" in html


def test_other_errors_still_get_the_500_page(tmp_path):
    result = run_production(
        """
        from unittest import mock
        from django.test import Client
        client = Client(raise_request_exception=False)
        bug = RuntimeError("a bug, not the database")
        with mock.patch("serving.health.HealthCheckMiddleware.__call__", side_effect=bug):
            response = client.get("/posts/", HTTP_HOST="example.com", secure=True)
        print(json.dumps([response.status_code, response.content.decode()]))
        """,
        tmp_path,
    )

    status, html = result
    assert status == 500
    assert "Something went wrong" in html


class RefusedWrite(Exception):
    """What psycopg raises for a write in a read-only transaction."""

    sqlstate = "25006"


def test_a_write_the_database_refuses_gets_the_503_page(rf):
    try:
        try:
            raise RefusedWrite("cannot execute INSERT in a read-only transaction")
        except RefusedWrite as refused:
            raise InternalError(str(refused)) from refused
    except InternalError:
        response = errors.server_error(rf.get("/"))

    assert (response.status_code, response["Retry-After"]) == (503, "10")
    assert "Back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_while_the_database_is_read_only_gets_503_not_500(editor, read_only_database):
    client = Client(raise_request_exception=False)

    response = client.post(
        "/admin/login/", {"username": editor.username, "password": "a-long-test-password"}
    )

    assert response.status_code == 503

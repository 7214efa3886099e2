"""Production settings: the deploy checklist, security headers, CSP, /healthz.

The production settings module is imported in a subprocess with its environment set, as a
server would start it.
"""

import json
import os
import re
import secrets
import textwrap

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.isolated import run


def inherited_secrets():
    """Our own SECRET_* and ALLOWED_* variables, kept from the child."""
    return [k for k in os.environ if k.startswith(("SECRET", "ALLOWED"))]


SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_HANDLER_RE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR_RE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def run_production(code, tmp_path, **env):
    """Run `code` with production settings (static files from the finders, no collectstatic)."""
    (tmp_path / "prod_for_test.py").write_text(
        "from site_project.settings.production import *  # noqa\n"
        "STORAGES = {**STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
    )
    own = {
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "prod_for_test",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    result = run(["-c", script], own, drop=inherited_secrets(), timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_checklist_has_no_warnings():
    env = {
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    }
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(check, env, drop=inherited_secrets(), timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_pages_carry_the_security_headers(tmp_path):
    headers = run_production(
        """
        from django.test import Client
        response = Client().get("/search/", secure=True, HTTP_HOST="example.com")
        print(json.dumps({"status": response.status_code, **dict(response.items())}))
        """,
        tmp_path,
    )

    assert headers["status"] == 200
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"


def test_production_redirects_plain_http_to_https(tmp_path):
    result = run_production(
        """
        from django.test import Client
        response = Client().get("/posts/", HTTP_HOST="example.com")
        print(json.dumps([response.status_code, response["Location"]]))
        """,
        tmp_path,
    )

    assert result == [301, "https://example.com/posts/"]


def test_production_cookies_are_secure_and_http_only(tmp_path):
    flags = run_production(
        """
        from django.conf import settings as s
        print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                          s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.DEBUG]))
        """,
        tmp_path,
    )

    assert flags == [True, True, True, True, False]


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    # Nothing listens on port 9: a real refused connection, not a patched cursor.
    result = run_production(
        """
        from django.test import Client
        response = Client().get("/healthz", HTTP_HOST="10.0.0.7")
        print(json.dumps([response.status_code, response.content.decode()]))
        """,
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
    )

    assert result == [503, "unavailable\n"]


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


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers_even_by_ip_and_plain_http(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def public_urls(index):
    home = index.get_parent().specific
    post = factories.make_post(index, tags=["orm"], authors=[factories.make_author()])
    compilation = factories.make_compilation(home, [factories.section("A", [])])
    home.featured_compilation = compilation
    factories.publish(home)
    return ["/", "/posts/", post.url, compilation.url, "/search/", "/search/?q=post"]


@pytest.mark.django_db
def test_public_pages_need_no_inline_script_or_style(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        for attributes in SCRIPT_RE.findall(html):
            assert "src=" in attributes or "application/ld+json" in attributes, (url, attributes)
        assert not EVENT_HANDLER_RE.search(html), url
        assert not STYLE_ATTR_RE.search(html), url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_admin_gets_a_policy_its_inline_scripts_can_run_under(index, editor):
    admin = Client()
    admin.force_login(editor)
    post = factories.make_post(index)

    response = admin.get(f"/admin/pages/{post.pk}/edit/")

    html = response.content.decode()
    inline = [a for a in SCRIPT_RE.findall(html) if "src=" not in a and "json" not in a]
    assert inline, "the admin edit view renders inline scripts"
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self' 'unsafe-inline'"
    assert csp["default-src"] == "'self'"
    assert "http" not in csp["script-src"]


@pytest.mark.django_db
def test_preview_can_be_framed_by_the_admin(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(post.pk,))
    client.post(preview, factories.post_form_data(post.topic))

    policy = client.get(preview)["Content-Security-Policy"]

    assert "frame-ancestors 'self'" in policy
    assert "frame-ancestors 'none'" not in policy

"""The Content-Security-Policy (django-csp, serving/security.py): public pages need no inline
script or style, the admin gets a policy its own inline scripts run under, the admin may frame
previews, views change their own policy with django-csp's decorators, and report-only mode."""

import re

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from site_project import urls as site_urls
from tests import factories
from tests.serving.conftest import HIT, MISS

POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def policy(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@csp_update({"connect-src": ["https://status.example.com"]})
def widget(request):
    return HttpResponse("<p>status widget</p>")


@csp_update({"script-src": [NONCE]})
def nonced(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">start()</script>')


@csp_exempt()
def exempt(request):
    return HttpResponse("no policy")


# The views above, beside the site's own URLs (tests that use them say @pytest.mark.urls).
urlpatterns = [
    path("widget/", widget),
    path("nonced/", nonced),
    path("exempt/", exempt),
    # Spread, not included: the site's URLs hold i18n_patterns, which only a root URLconf may.
    *site_urls.urlpatterns,
]

SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_HANDLER_RE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR_RE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


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


@pytest.mark.django_db
def test_public_pages_carry_no_nonce(client, public_urls):
    for url in public_urls:
        assert "nonce-" not in client.get(url)["Content-Security-Policy"], url


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_adds_to_its_own_policy_with_a_decorator(client):
    response = client.get("/widget/")

    csp = policy(response["Content-Security-Policy"])
    assert csp["connect-src"] == "'self' https://status.example.com"
    assert csp["script-src"] == "'self'"
    assert "status.example.com" not in client.get("/robots.txt")["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_exempt_from_the_policy_gets_no_header(client):
    assert "Content-Security-Policy" not in client.get("/exempt/")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("page_cache")
def test_a_cached_page_keeps_its_views_own_policy(client):
    first, second = client.get("/widget/"), client.get("/widget/")

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == (MISS, HIT)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "https://status.example.com" in second["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("page_cache")
def test_a_page_that_used_a_nonce_is_never_replayed_from_the_page_cache(client):
    first, second = client.get("/nonced/"), client.get("/nonced/")

    nonces = []
    for response in (first, second):
        assert "X-Page-Cache" not in response  # not stored, not answered from the cache
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_report_only_mode_reports_the_same_policy_without_enforcing_it(client, settings, home):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {**POLICY["DIRECTIVES"], "report-uri": ["/csp-reports/"]}
    }

    response = client.get("/")

    assert "Content-Security-Policy" not in response
    csp = policy(response["Content-Security-Policy-Report-Only"])
    assert csp["script-src"] == "'self'"
    assert csp["report-uri"] == "/csp-reports/"


@pytest.mark.django_db
def test_report_only_mode_keeps_the_admins_exceptions(settings, editor):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = POLICY
    admin = Client()
    admin.force_login(editor)

    response = admin.get("/admin/")

    assert "Content-Security-Policy" not in response
    csp = policy(response["Content-Security-Policy-Report-Only"])
    assert csp["script-src"] == "'self' 'unsafe-inline'"
    assert csp["frame-ancestors"] == "'self'"

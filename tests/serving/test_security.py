"""The Content-Security-Policy (serving/security.py): public pages need no inline script or style,
the admin gets a policy its own inline scripts run under, and the admin may frame previews."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

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

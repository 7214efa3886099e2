"""SITE_URL as the default Wagtail Site (serving/site_url.py): set after migrate, idempotent,
used by previews, "view draft" and the API, and a warning while production names a local host."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from serving.site_url import check_site_url, site_address, sync_default_site
from tests import factories


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://example.org", ("example.org", 443)),
        ("http://example.org", ("example.org", 80)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("https://Example.org:8443/", ("example.org", 8443)),
    ],
)
def test_site_address_takes_the_port_from_the_scheme_when_none_is_given(url, address):
    assert site_address(url) == address


@pytest.mark.django_db
def test_the_default_site_takes_host_and_port_from_site_url(home, settings):
    settings.SITE_URL = "https://example.org"

    assert sync_default_site() is True
    assert sync_default_site() is False

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("example.org", 443, "https://example.org")


@pytest.mark.django_db
def test_migrate_sets_the_default_site_from_site_url(home, settings):
    settings.SITE_URL = "https://example.org"

    call_command("migrate", verbosity=0)

    assert Site.objects.get(is_default_site=True).root_url == "https://example.org"


@pytest.mark.django_db
def test_view_draft_renders_the_draft_on_a_site_served_over_https(client, editor, index, settings):
    settings.SITE_URL = "https://example.org"
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SECURE_SSL_REDIRECT = True
    sync_default_site()
    post = factories.make_post(index, title="Linked post")
    post.title = "Linked post, draft"
    post.save_revision()
    client.force_login(editor)

    response = client.get(
        f"/admin/pages/{post.pk}/view_draft/", HTTP_HOST="example.org", secure=True
    )

    assert response.status_code == 200
    assert "Linked post, draft" in response.content.decode()


@pytest.mark.parametrize(
    ("debug", "url", "warned"),
    [
        (False, "http://localhost", True),
        (False, "http://127.0.0.1:8000", True),
        (False, "https://example.org", False),
        (True, "http://127.0.0.1:8000", False),
    ],
)
def test_production_warns_while_site_url_names_a_local_host(debug, url, warned):
    with override_settings(DEBUG=debug, SITE_URL=url):
        messages = check_site_url(None)

    assert [m.id for m in messages] == (["serving.W001"] if warned else [])

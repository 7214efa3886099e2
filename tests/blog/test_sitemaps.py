"""The sitemap (blog/sitemaps.py): every live public page and each topic archive that lists a
post."""

import pytest

from tests import factories
from tests.blog.conftest import parse_xml

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


@pytest.mark.django_db
def test_sitemap_lists_exactly_the_live_public_pages_with_lastmod(client, index, site_posts):
    home = index.get_parent().specific
    factories.make_compilation(home, [factories.section("A", [factories.link_entry(1)])])

    urls = sitemap_urls(client)

    expected = {
        "http://localhost/",
        "http://localhost/posts/",
        "http://localhost/django-at-scale-in-production/",
        *(f"http://localhost{post.url}" for post in site_posts["live"]),
        "http://localhost/topics/databases/",
        "http://localhost/topics/security/",
    }
    assert set(urls) == expected
    assert all(urls.values())

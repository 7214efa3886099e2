"""The home page (home/models.py): introduction, featured compilation and latest posts."""

import pytest

from tests import factories


@pytest.mark.django_db
def test_home_page_renders_intro_featured_compilation_and_latest_posts(client, index):
    home = index.get_parent().specific
    post = factories.make_post(index, title="Caching that lasts")
    compilation = factories.make_compilation(
        home, [factories.section("Caching", [factories.post_entry(post)])]
    )
    home.featured_compilation = compilation
    factories.publish(home)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, <strong>reader</strong>." in html
    assert 'href="/django-at-scale-in-production/#caching"' in html
    assert "Caching that lasts" in html

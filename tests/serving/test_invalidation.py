"""Which changes make cached pages stale (serving/invalidation.py): publishing, unpublishing,
moving, deleting or renaming a page, editing or deleting a snippet, a new view restriction. Each
is seen by the next anonymous reader of every page that shows it, through the page cache."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests import factories
from tests.serving.conftest import HIT, MISS, cached_twice

pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture(autouse=True)
def no_stale_window(settings):
    """What each change makes stale, seen by the very next reader: without the few seconds in
    which other pages may still be answered from before (tests/serving/test_stale_pages.py)."""
    settings.PAGE_CACHE_STALE_SECONDS = 0


@pytest.mark.django_db
def test_publishing_a_change_shows_on_every_page_that_shows_it(client, site):
    first = site["first"]
    urls = ("/", "/posts/", site["compilation"].url, first.url, site["second"].url)
    for url in urls:
        cached_twice(client, url)

    first.title = "First post, revised"
    factories.publish(first)

    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == MISS, url
        assert "First post, revised" in response.content.decode(), url


@pytest.mark.django_db
def test_publishing_a_new_post_shows_it_in_the_listing_and_on_home(client, site):
    cached_twice(client, "/posts/")
    cached_twice(client, "/")

    factories.make_post(site["index"], title="Brand new post")

    assert "Brand new post" in client.get("/posts/").content.decode()
    assert "Brand new post" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unpublishing_a_post_removes_it_at_once(client, site):
    first = site["first"]
    cached_twice(client, first.url)
    cached_twice(client, "/posts/")

    first.unpublish()

    assert client.get(first.url).status_code == 404
    assert "First post" not in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_moving_a_post_serves_it_at_its_new_address_only(client, site):
    first = site["first"]
    old_url = first.url
    cached_twice(client, old_url)
    archive = factories.make_index(site["home"], title="Archive", slug="archive")

    first.move(archive, pos="last-child")

    old = client.get(old_url)
    assert old.status_code == 301  # Wagtail's automatic redirect, not the stale page
    assert old["Location"].endswith(f"/archive/{first.slug}/")
    assert client.get(f"/archive/{first.slug}/").status_code == 200
    assert "First post" not in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_changing_a_slug_serves_the_post_at_its_new_address_only(client, site):
    first = site["first"]
    old_url = first.url
    cached_twice(client, old_url)

    first.slug = "renamed-post"
    factories.publish(first)

    assert client.get(old_url).status_code == 404
    assert client.get("/posts/renamed-post/").status_code == 200


@pytest.mark.django_db
def test_deleting_a_post_removes_it_at_once(client, site):
    second = site["second"]
    url = second.url
    cached_twice(client, url)
    cached_twice(client, site["compilation"].url)

    second.delete()

    assert client.get(url).status_code == 404
    assert "Second post" not in client.get(site["compilation"].url).content.decode()


@pytest.mark.django_db
def test_editing_a_topic_snippet_shows_on_the_post_and_the_listing(client, site):
    cached_twice(client, site["first"].url)
    cached_twice(client, "/posts/")

    site["topic"].name = "Caching and CDNs"
    site["topic"].save()

    assert "Caching and CDNs" in client.get(site["first"].url).content.decode()
    assert "Caching and CDNs" in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_deleting_a_topic_snippet_removes_it_from_the_listing_filters(client, site):
    spare = factories.make_topic(name="Unused topic", slug="unused")
    assert "Unused topic" in cached_twice(client, "/posts/").content.decode()

    spare.delete()

    assert "Unused topic" not in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_editing_an_author_snippet_shows_on_their_posts(client, site):
    cached_twice(client, site["first"].url)

    site["author"].name = "Ada Q. Writer"
    site["author"].save()

    assert "Ada Q. Writer" in client.get(site["first"].url).content.decode()


@pytest.mark.django_db
def test_deleting_an_author_snippet_removes_the_byline(client, site):
    assert "Ada Writer" in cached_twice(client, site["first"].url).content.decode()

    site["author"].delete()

    assert "Ada Writer" not in client.get(site["first"].url).content.decode()


@pytest.mark.django_db
def test_a_new_view_restriction_applies_at_once_and_is_never_cached(client, site):
    first = site["first"]
    cached_twice(client, first.url)

    PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-words"
    )

    for _ in range(2):
        response = client.get(first.url)
        assert "First post" not in response.content.decode().split("<main", 1)[-1]
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_publishing_in_the_admin_is_seen_by_the_next_anonymous_reader(site, editor):
    anonymous, admin = Client(), Client()
    admin.force_login(editor)
    first = site["first"]
    cached_twice(anonymous, first.url)
    cached_twice(anonymous, "/posts/")
    edit = f"/admin/pages/{first.pk}/edit/"
    data = factories.post_form_data(
        site["topic"], title="Edited in the admin", slug=first.slug, **{"action-publish": "1"}
    )

    assert admin.post(edit, data).status_code == 302

    assert "Edited in the admin" in anonymous.get(first.url).content.decode()
    assert "Edited in the admin" in anonymous.get("/posts/").content.decode()


@pytest.mark.django_db
def test_saving_a_draft_or_locking_leaves_cached_pages_as_they_are(client, site):
    # Autosave writes a draft revision every few seconds while an editor types: it must not
    # make every reader's page stale.
    first = site["first"]
    cached_twice(client, "/posts/")
    first.title = "A draft title nobody reads yet"
    first.save_revision()
    first.locked = True
    first.save(update_fields=["locked"])

    response = client.get("/posts/")

    assert response["X-Page-Cache"] == HIT
    assert "A draft title nobody reads yet" not in response.content.decode()

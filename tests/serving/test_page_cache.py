"""Anonymous readers get whole pages from the cache; every change to what a page shows is seen
on the next request; personal, admin and search responses never enter the cache."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests import factories

HIT, MISS = "hit", "miss"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def site(index):
    """Home, the listing, two posts and a compilation that lists both posts, all published."""
    home = index.get_parent().specific
    topic = factories.make_topic(name="Caching", slug="caching")
    author = factories.make_author(name="Ada Writer", slug="ada")
    first = factories.make_post(index, title="First post", topic=topic, authors=[author])
    second = factories.make_post(index, title="Second post", topic=topic)
    compilation = factories.make_compilation(
        home,
        [factories.section("Start", [factories.post_entry(first), factories.post_entry(second)])],
    )
    home.featured_compilation = compilation
    factories.publish(home)
    return {
        "home": home,
        "index": index,
        "topic": topic,
        "author": author,
        "first": first,
        "second": second,
        "compilation": compilation,
    }


def cached_twice(client, url):
    """The second of two anonymous requests, which must come from the page cache."""
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == MISS
    second = client.get(url)
    assert second["X-Page-Cache"] == HIT
    return second


@pytest.mark.django_db
def test_second_anonymous_request_is_answered_from_cache_without_queries(
    client, site, django_assert_num_queries
):
    url = site["first"].url
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == (MISS, HIT)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_public_page_type_is_cached(client, site):
    for url in (
        "/",
        "/posts/",
        site["compilation"].url,
        site["first"].url,
        "/posts/?topic=caching",
    ):
        cached_twice(client, url)


@pytest.mark.django_db
def test_head_is_answered_from_cache_without_a_body(client, site):
    get = cached_twice(client, site["first"].url)

    head = client.head(site["first"].url)

    assert head["X-Page-Cache"] == HIT
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))


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
def test_logged_in_editor_is_never_served_or_stored(site, editor):
    anonymous, editor_client = Client(), Client()
    editor_client.force_login(editor)
    url = site["first"].url
    cached_twice(anonymous, url)

    for _ in range(2):
        response = editor_client.get(url)
        assert "X-Page-Cache" not in response
        assert "wagtail-userbar" in response.content.decode()
    # What the editor saw was not stored for anonymous readers either.
    assert "wagtail-userbar" not in anonymous.get(url).content.decode()


@pytest.mark.django_db
def test_request_with_a_csrf_cookie_bypasses_the_cache(client, site):
    url = site["first"].url
    cached_twice(client, url)
    client.cookies["csrftoken"] = "x" * 32

    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db
def test_request_with_a_pending_message_bypasses_the_cache(client, site):
    url = site["first"].url
    cached_twice(client, url)
    client.cookies["messages"] = "pending"

    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db
def test_admin_pages_are_never_cached(client, site):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_search_with_a_query_is_never_cached_but_the_empty_form_is(client, site):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/search/?q=first")
    cached_twice(client, "/search/")


@pytest.mark.django_db
def test_not_found_pages_are_not_cached(client, site):
    for _ in range(2):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_page_cache_off_when_seconds_is_zero(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 0

    for _ in range(2):
        assert "X-Page-Cache" not in client.get(site["first"].url)


@pytest.mark.django_db
def test_unknown_host_gets_400_not_a_cached_page(client, site):
    cached_twice(client, site["first"].url)

    assert client.get(site["first"].url, HTTP_HOST="evil.example").status_code == 400


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
def test_the_admin_preview_is_never_cached(site, editor):
    admin = Client()
    admin.force_login(editor)
    preview = f"/admin/pages/{site['first'].pk}/edit/preview/"
    data = factories.post_form_data(site["topic"], title="Draft only title")
    admin.post(preview, data)

    for _ in range(2):
        response = admin.get(preview)
        assert "Draft only title" in response.content.decode()
        assert "X-Page-Cache" not in response
    assert "Draft only title" not in Client().get(site["first"].url).content.decode()

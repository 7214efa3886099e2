"""After a publish, other pages are answered from before it while one request renders each anew
(serving/stale_pages.py); the changed page, and everything after a change that hides or moves
content, never is. Django's handler is stood in for by `Behind`, which renders nothing and
stores nothing, so the request that took a page's render lock leaves it to the next reader."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from serving import stale_pages
from serving.page_cache import PageCacheApplication
from tests import factories
from tests.serving.test_page_cache import Behind, call

LISTING = "/posts/"


@pytest.fixture(autouse=True)
def renders_due_at_once(monkeypatch):
    """Every page due for its render as soon as the version changes (the spread over the window
    has its own test)."""
    monkeypatch.setattr(stale_pages, "SPREAD", 0)


@pytest.fixture
def cached(settings, site):
    """The listing and both posts in the page cache, from one anonymous reader."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_STALE_SECONDS = 10
    reader = Client()
    for url in (LISTING, site["first"].url, site["second"].url):
        assert reader.get(url, HTTP_HOST="localhost")["X-Page-Cache"] == "miss"
    return site


def revise(post, title):
    post.title = title
    factories.publish(post)


@pytest.mark.django_db
def test_after_a_publish_one_reader_renders_the_listing_and_the_others_get_it_from_before(
    cached,
):
    before = call(PageCacheApplication(Behind()), LISTING)[2]
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)

    renderer = call(app, LISTING)
    others = [call(app, LISTING) for _ in range(3)]

    assert renderer[2] == b"from django" and behind.calls == 1
    assert {status for status, _, _ in others} == {"200 OK"}
    assert {headers["X-Page-Cache"] for _, headers, _ in others} == {"stale"}
    assert all(body == before for _, _, body in others)


@pytest.mark.django_db
def test_the_page_that_changed_is_rendered_by_the_next_request_whatever_the_spread(
    cached, monkeypatch
):
    monkeypatch.setattr(stale_pages, "SPREAD", 0.8)
    monkeypatch.setattr(stale_pages, "_share", lambda key: 0.99)  # due late in the window
    revise(cached["second"], "Second post, revised")

    response = Client().get(cached["second"].url, HTTP_HOST="localhost")

    assert response["X-Page-Cache"] == "miss"
    assert "Second post, revised" in response.content.decode()


@pytest.mark.django_db
def test_while_the_changed_page_renders_its_other_readers_get_the_copy_from_before(cached):
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)

    renderer = call(app, cached["second"].url)  # renders (Behind stores nothing)
    others = [call(app, cached["second"].url) for _ in range(2)]

    assert renderer[2] == b"from django" and behind.calls == 1
    assert {headers["X-Page-Cache"] for _, headers, _ in others} == {"stale"}


@pytest.mark.django_db
def test_other_pages_are_rendered_one_after_another_over_the_window(cached, monkeypatch):
    # Each page is due at a moment of the window fixed by its key: before it, even a request
    # that would store the page is answered from before and renders nothing.
    monkeypatch.setattr(stale_pages, "SPREAD", 0.8)
    monkeypatch.setattr(stale_pages, "_share", lambda key: 0.5)  # due 4 s into a 10 s window
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)

    early = [call(app, LISTING) for _ in range(3)]

    assert behind.calls == 0
    assert {headers["X-Page-Cache"] for _, headers, _ in early} == {"stale"}
    assert 0 <= stale_pages._share("ab" * 32) < 1


@pytest.mark.django_db
def test_an_unpublish_leaves_nothing_answered_from_before(cached):
    cached["second"].unpublish()
    behind = Behind()
    app = PageCacheApplication(behind)

    for url in (LISTING, LISTING, cached["first"].url):
        call(app, url)

    assert behind.calls == 3


@pytest.mark.django_db
def test_a_new_slug_leaves_nothing_answered_from_before(cached, monkeypatch):
    monkeypatch.setattr(stale_pages, "SPREAD", 0.8)
    monkeypatch.setattr(stale_pages, "_share", lambda key: 0.99)
    old_url = cached["first"].url
    cached["first"].slug = "first-renamed"
    with_new_slug = factories.publish(cached["first"])

    assert Client().get(old_url, HTTP_HOST="localhost").status_code == 404
    assert Client().get(with_new_slug.url, HTTP_HOST="localhost").status_code == 200


@pytest.mark.django_db
def test_a_new_view_restriction_leaves_nothing_answered_from_before(cached):
    PageViewRestriction.objects.create(
        page=cached["first"], restriction_type=PageViewRestriction.PASSWORD, password="secret-x"
    )
    behind = Behind()
    app = PageCacheApplication(behind)

    call(app, cached["first"].url)
    call(app, cached["first"].url)

    assert behind.calls == 2


@pytest.mark.django_db
def test_pages_from_before_stop_answering_once_the_new_version_is_older_than_the_window(
    cached, settings
):
    settings.PAGE_CACHE_STALE_SECONDS = 1
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)
    call(app, LISTING)  # took the render lock, rendered nothing
    assert call(app, LISTING)[1]["X-Page-Cache"] == "stale"

    time.sleep(1.1)
    call(app, LISTING)

    assert behind.calls == 2


@pytest.mark.django_db
def test_a_request_that_would_not_store_the_page_does_not_take_the_render_lock(cached):
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)

    made_up = call(app, LISTING, QUERY_STRING="utm_source=x")
    head = call(app, LISTING, method="HEAD")
    canonical = call(app, LISTING)

    assert made_up[1]["X-Page-Cache"] == head[1]["X-Page-Cache"] == "stale"
    assert canonical[2] == b"from django" and behind.calls == 1


@pytest.mark.django_db
def test_with_the_window_at_zero_every_page_is_rendered_after_a_publish(cached, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 0
    revise(cached["second"], "Second post, revised")
    behind = Behind()
    app = PageCacheApplication(behind)

    call(app, LISTING)
    call(app, LISTING)

    assert behind.calls == 2


@pytest.mark.django_db
def test_the_listing_shows_the_change_once_the_renderer_has_stored_it(cached):
    revise(cached["second"], "Second post, revised")

    first = Client().get(LISTING, HTTP_HOST="localhost")
    second = Client().get(LISTING, HTTP_HOST="localhost")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Second post, revised" in second.content.decode()


@pytest.mark.django_db
def test_a_change_is_recorded_again_when_its_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    # A page rendered between the change and the commit may show the old content: the record
    # must be newer than anything rendered before the commit.
    settings.PAGE_CACHE_STALE_SECONDS = 10
    with django_capture_on_commit_callbacks(execute=True):
        stale_pages.record_page_change("/posts/x/")
        rendered_before_commit = time.time_ns()

    assert cache.get(stale_pages.CHANGED_PREFIX + "/posts/x/") > rendered_before_commit


def test_without_a_shared_cache_nothing_is_answered_from_before(settings, tmp_path):
    # The change records live in the cache: a process's own local memory cannot tell the others
    # which page changed.
    settings.PAGE_CACHE_STALE_SECONDS = 10
    settings.CONTENT_VERSION_STORE = str(tmp_path / "content-version")

    assert stale_pages.stale_seconds() == 0


@pytest.mark.django_db
def test_publishes_in_a_row_do_not_keep_a_page_answered_from_before_past_the_window(
    cached, settings, monkeypatch
):
    # The window runs from the first change the copy does not show, not from the newest one.
    settings.PAGE_CACHE_STALE_SECONDS = 1
    monkeypatch.setattr(stale_pages, "SPREAD", 0.8)
    monkeypatch.setattr(stale_pages, "_share", lambda key: 0.99)  # due 0.8 s into it
    behind = Behind()
    app = PageCacheApplication(behind)
    revise(cached["second"], "Second post, revised")
    assert call(app, LISTING)[1]["X-Page-Cache"] == "stale"
    time.sleep(0.6)
    revise(cached["second"], "Second post, revised again")  # a new version, 0.6 s later
    assert call(app, LISTING)[1]["X-Page-Cache"] == "stale"

    time.sleep(0.5)  # 1.1 s after the first change, 0.5 s after the newest
    call(app, LISTING)

    assert behind.calls == 1

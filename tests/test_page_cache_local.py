"""Each process keeps the pages it served for the current content version (serving/page_cache.py
LocalPages), so that a hit reads only the version from the shared cache.

A publish on another host (a new version in Redis) reaching a page held here is
tests/test_page_cache_shared.py::test_a_publish_on_another_host_invalidates_pages_cached_here.
"""

import time

import pytest
from django.core.cache import cache

from serving import content_version, page_cache
from serving.page_cache import LocalPages
from tests import factories


def entry(version, body=b"x" * 10):
    return (version, 200, {"content-type": ("Content-Type", "text/html")}, body)


def test_a_page_is_kept_for_its_version_only():
    pages = LocalPages(max_bytes=1000)
    pages.put("a", entry("v1"), seconds=60)

    assert pages.get("a", "v1") == entry("v1")
    assert pages.get("a", "v2") is None
    # The new version emptied the store: the old page is gone even if asked for again.
    assert pages.get("a", "v1") is None


def test_least_recently_used_pages_go_first_when_over_the_byte_budget():
    pages = LocalPages(max_bytes=25)
    pages.put("a", entry("v"), seconds=60)
    pages.put("b", entry("v"), seconds=60)
    pages.get("a", "v")  # a is now the most recently used
    pages.put("c", entry("v"), seconds=60)

    assert pages.get("a", "v") is not None
    assert pages.get("b", "v") is None
    assert pages.get("c", "v") is not None
    assert pages.size == 20


def test_a_page_larger_than_the_budget_is_not_kept():
    pages = LocalPages(max_bytes=5)
    pages.put("a", entry("v"), seconds=60)

    assert pages.get("a", "v") is None
    assert pages.size == 0


def test_a_page_expires_like_its_shared_copy(monkeypatch):
    pages = LocalPages(max_bytes=1000)
    pages.put("a", entry("v"), seconds=300)
    later = time.monotonic() + 301
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)

    assert pages.get("a", "v") is None
    assert pages.size == 0


@pytest.fixture
def post(index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    return factories.make_post(index, title="Local post")


@pytest.fixture
def reads(monkeypatch):
    """Every key read from the shared cache."""
    keys = []
    original = cache.get

    def get(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return keys


@pytest.mark.django_db
def test_a_hit_reads_only_the_version_from_the_shared_cache(client, post, reads):
    client.get(post.url)
    reads.clear()

    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert not any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)


@pytest.mark.django_db
def test_a_page_stored_by_another_worker_is_read_from_the_shared_cache(client, post, reads):
    client.get(post.url)
    page_cache.local_pages._reset(None)  # this process has not served it
    reads.clear()

    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)
    reads.clear()
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert not any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)


@pytest.mark.django_db
def test_a_publish_makes_the_local_copy_stale_at_once(client, post):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    post.title = "Local post, revised"
    factories.publish(post)

    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Local post, revised" in response.content.decode()


@pytest.mark.django_db
def test_a_request_reads_the_content_version_once(client, post, monkeypatch):
    reads = []
    current = content_version.current

    def counted():
        reads.append(1)
        return current()

    monkeypatch.setattr(content_version, "current", counted)

    assert client.get(post.url)["X-Page-Cache"] == "miss"
    # The page cache's lookup; the route cache and the post's fragments reuse what it read.
    assert len(reads) == 1

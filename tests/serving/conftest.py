"""What the serving tests share: a published site behind the page cache, and the Redis server
on 127.0.0.1:6379 (database 2, kept for tests; TEST_REDIS_DB picks another, so that test runs
side by side do not empty each other's database)."""

import os
import socket

import pytest
from django.core.cache import cache

from tests import factories

HIT, MISS = "hit", "miss"
SHARED_REDIS = f"redis://127.0.0.1:6379/{int(os.environ.get('TEST_REDIS_DB', '2'))}"


@pytest.fixture
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


def redis_caches(url):
    """The same cache settings base.py builds from REDIS_URL."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
            "KEY_PREFIX": "site",
        }
    }


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def shared_redis(settings):
    if not redis_answers(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = redis_caches(SHARED_REDIS)
    settings.CONTENT_VERSION_STORE = "cache"
    cache.clear()
    yield
    cache.clear()

"""The content version held per process with Redis's CLIENT TRACKING (serving/tracked.py).

Real Redis on 127.0.0.1:6379, database 2 or TEST_REDIS_DB (see tests/serving/conftest.py).
"""

import time

import pytest
import redis
from redis.cache import CacheConfig

from serving import content_version
from serving import tracked as tracked_module
from serving.tracked import TrackedKey
from tests import factories
from tests.serving.conftest import SHARED_REDIS, redis_answers

KEY = "tests:tracked-version"


@pytest.fixture
def other():
    """Another client, as another worker or host would write."""
    if not redis_answers(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client = redis.Redis.from_url(SHARED_REDIS)
    client.set(KEY, b"one")
    yield client
    client.delete(KEY)
    client.close()


def written(client):
    """Wait, as the publisher's read-back does, until Redis has sent the invalidations."""
    client.ping()


@pytest.fixture
def tracked(other):
    key = TrackedKey(SHARED_REDIS, KEY)
    yield key
    key._forget()


def test_the_value_is_read_once_then_held(tracked, other):
    before = other.info("commandstats").get("cmdstat_get", {}).get("calls", 0)

    answers = [tracked.get() for _ in range(20)]

    after = other.info("commandstats").get("cmdstat_get", {}).get("calls", 0)
    assert answers == [(True, b"one")] * 20
    assert after - before == 1


def test_a_write_by_another_client_is_seen_by_the_next_read(tracked, other):
    assert tracked.get() == (True, b"one")

    other.set(KEY, b"two")
    written(other)

    assert tracked.get() == (True, b"two")


def test_a_deleted_or_flushed_key_is_seen(tracked, other):
    assert tracked.get() == (True, b"one")
    other.delete(KEY)
    written(other)
    assert tracked.get() == (True, None)

    other.set(KEY, b"three")
    assert tracked.get() == (True, b"three")
    other.flushdb()
    written(other)
    assert tracked.get() == (True, None)


def test_a_killed_connection_is_replaced_and_reads_afresh(tracked, other):
    assert tracked.get() == (True, b"one")
    own_id = tracked.client.client_id()
    other.execute_command("CLIENT", "KILL", "ID", own_id)
    other.set(KEY, b"after the kill")  # no one was tracking: no message for us

    first = tracked.get()
    second = tracked.get()

    # The dead connection is noticed: that read falls back (or reconnects), never the old value.
    assert first in ((False, None), (True, b"after the kill"))
    assert second == (True, b"after the kill")
    assert tracked.client.client_id() != own_id


def test_a_forked_process_does_not_read_its_parents_connection(tracked, other):
    assert tracked.get() == (True, b"one")
    parents = tracked.client
    tracked.pid = -1  # as if this process had been forked after the value was read

    assert tracked.get() == (True, b"one")
    assert tracked.client is not parents


def test_a_redis_without_tracking_falls_back_for_good(tracked, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise redis.ResponseError("ERR unknown command 'CLIENT'")

    monkeypatch.setattr(TrackedKey, "_connect", refuse)

    assert tracked.get() == (False, None)
    assert tracked.supported is False
    assert tracked.get() == (False, None)


def test_a_failed_connect_is_not_retried_on_every_request(monkeypatch):
    key = TrackedKey("redis://127.0.0.1:1/0", KEY)  # nothing listens there
    attempts = []
    connect = TrackedKey._connect

    def counted(self):
        attempts.append(time.monotonic())
        connect(self)

    monkeypatch.setattr(TrackedKey, "_connect", counted)
    assert [key.get() for _ in range(5)] == [(False, None)] * 5
    assert len(attempts) == 1

    later = time.monotonic() + tracked_module.RETRY_SECONDS + 0.1
    monkeypatch.setattr(tracked_module.time, "monotonic", lambda: later)
    assert key.get() == (False, None)
    assert len(attempts) == 2


def test_nothing_listening_is_a_fallback_not_an_error():
    key = TrackedKey("redis://127.0.0.1:1/0", KEY)

    assert key.get() == (False, None)
    assert key.supported is True  # tried again on the next request


def test_redis_pys_own_client_side_caching_refuses_the_redis_the_site_runs(other):
    """Why TrackedKey keeps a tracking connection of its own rather than redis-py's client-side
    caching (Redis(protocol=3, cache_config=CacheConfig())): redis-py connects that way only to a
    server that calls itself Redis 7.4 or later, and the Redis here (Debian 12's, the one
    `make cluster` runs) is 7.0. TrackedKey works from Redis 6 on, and with Valkey."""
    version = other.info("server")["redis_version"]
    if tuple(int(part) for part in version.split(".")[:2]) >= (7, 4):
        pytest.skip(f"Redis {version} accepts redis-py's own client-side caching")
    client = redis.Redis.from_url(SHARED_REDIS, protocol=3, cache_config=CacheConfig())

    with pytest.raises(redis.ConnectionError, match="Redis 7.4 or later"):
        client.get(KEY)
    client.close()


@pytest.mark.django_db
@pytest.mark.usefixtures("shared_redis")
def test_page_cache_hits_make_no_redis_round_trip(client, index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    post = factories.make_post(index, title="Tracked post")
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    stats = redis.Redis.from_url(SHARED_REDIS)
    before = stats.info("commandstats")

    hits = [client.get(post.url)["X-Page-Cache"] for _ in range(10)]

    after = stats.info("commandstats")
    assert hits == ["hit"] * 10
    for command in ("cmdstat_get", "cmdstat_mget"):
        assert after.get(command, {}).get("calls", 0) == before.get(command, {}).get("calls", 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("shared_redis")
def test_a_publish_is_seen_by_the_next_request_through_tracking(client, index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    post = factories.make_post(index, title="Tracked post")
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    version = content_version.current()

    post.title = "Tracked post, revised"
    factories.publish(post)

    assert content_version.current() != version
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Tracked post, revised" in response.content.decode()

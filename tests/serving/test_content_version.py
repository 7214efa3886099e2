"""The content version (serving/content_version.py) across processes and hosts: a publish on
another worker or host makes the pages cached here stale, whether the version lives in Redis or
in a file; through a Redis outage pages keep serving; with Redis the version is tracked.

Real Redis servers on 127.0.0.1: the shared one (database 2, kept for these tests) and, for the
outage, one of our own that the test stops and starts again.
"""

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from serving import content_version
from serving.tracked import TrackedKey
from tests import factories
from tests.link_server import free_port
from tests.serving.conftest import SHARED_REDIS, redis_answers, redis_caches

ROOT = Path(__file__).resolve().parents[2]
OWN_REDIS_PORT = 8391


@pytest.fixture(autouse=True)
def no_stale_window(settings):
    """A bare version change, as another process makes it, seen by the very next request:
    without the few seconds in which pages may be answered from before while they are rendered
    again (those follow a publish's change records: tests/serving/test_stale_pages.py)."""
    settings.PAGE_CACHE_STALE_SECONDS = 0


def bump_in_another_process(env, tmp_path):
    """What a publish on another worker or host does to the shared content version."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CONTENT_VERSION_FILE", "DJANGO_SETTINGS_MODULE")
    }
    # The bump also runs when the transaction commits, so that process needs a database.
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other-host.sqlite3'}"
    code = (
        "import django; django.setup(); from serving import content_version; content_version.bump()"
    )
    subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "site_project.settings.dev", **env},
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def post(index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    return factories.make_post(index, title="Shared post")


@pytest.mark.django_db
def test_a_publish_on_another_host_invalidates_pages_cached_here(
    client, post, shared_redis, tmp_path
):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    bump_in_another_process({"REDIS_URL": SHARED_REDIS}, tmp_path)

    assert client.get(post.url)["X-Page-Cache"] == "miss"
    assert client.get(post.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_publish_on_another_worker_invalidates_without_redis(client, post, settings, tmp_path):
    version_file = tmp_path / "content-version"
    settings.CONTENT_VERSION_STORE = str(version_file)
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    bump_in_another_process({"CONTENT_VERSION_FILE": str(version_file)}, tmp_path)

    assert client.get(post.url)["X-Page-Cache"] == "miss"


@pytest.fixture
def own_redis(settings):
    """A Redis server of our own that the test may stop and start."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    if redis_answers(OWN_REDIS_PORT):
        pytest.skip(f"something already listens on {OWN_REDIS_PORT}")
    command = [binary, "--port", str(OWN_REDIS_PORT), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no"]

    def start():
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        for _ in range(50):
            if redis_answers(OWN_REDIS_PORT):
                return server
            time.sleep(0.1)
        server.kill()
        pytest.fail("our Redis did not start")

    settings.CACHES = redis_caches(f"redis://127.0.0.1:{OWN_REDIS_PORT}/0")
    settings.CONTENT_VERSION_STORE = "cache"
    servers = [start()]
    yield servers, start
    for server in servers:
        server.kill()
        server.wait()


@pytest.mark.django_db
def test_redis_outage_keeps_pages_serving_logs_it_and_caching_resumes(
    client, post, own_redis, caplog
):
    servers, start = own_redis
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    servers[0].kill()
    servers[0].wait()
    for log_filter in logging.getLogger("django_redis.cache").filters:
        log_filter.next_at = 0  # an earlier test may have used this half minute's one line
    with caplog.at_level(logging.ERROR, logger="django_redis"):
        during = [client.get(post.url) for _ in range(3)]

    assert [r.status_code for r in during] == [200, 200, 200]
    assert all("X-Page-Cache" not in r for r in during)
    assert "Shared post" in during[-1].content.decode()
    assert any(record.name.startswith("django_redis") for record in caplog.records)

    servers.append(start())
    after = [client.get(post.url).get("X-Page-Cache") for _ in range(4)]
    assert after[-1] == "hit"


@pytest.mark.django_db
def test_admin_works_while_redis_is_unreachable(client, index, editor, settings):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0")  # nothing listens there
    settings.CONTENT_VERSION_STORE = "cache"
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_tracking_is_on_with_redis_unless_turned_off(settings):
    assert content_version._tracked() is None  # the tests' local-memory cache
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": SHARED_REDIS}
    }
    tracked = content_version._tracked()
    assert isinstance(tracked, TrackedKey)
    assert (tracked.url, tracked.key) == (SHARED_REDIS, cache.make_key(content_version.CACHE_KEY))

    settings.CONTENT_VERSION_TRACKING = False

    assert content_version._tracked() is None


@pytest.fixture
def persistent_redis(settings, tmp_path):
    """A Redis server of our own that keeps its data on disk: stopped, it comes back with it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--dir", str(tmp_path), "--save", "", "--appendonly", "no"]
    servers = []

    def start():
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        servers.append(server)
        for _ in range(50):
            if redis_answers(port):
                return
            time.sleep(0.1)
        pytest.fail("our Redis did not start")

    def stop_keeping_data():
        import redis

        try:
            redis.Redis(port=port).shutdown(save=True)
        except redis.ConnectionError:
            pass  # the shutdown closes the connection
        servers[-1].wait(timeout=10)

    settings.CACHES = redis_caches(f"redis://127.0.0.1:{port}/0")
    settings.CONTENT_VERSION_STORE = "cache"
    start()
    yield start, stop_keeping_data
    for server in servers:
        server.kill()
        server.wait()


@pytest.mark.django_db
def test_a_publish_while_redis_is_away_shows_when_it_returns_with_its_old_data(
    client, post, persistent_redis
):
    start, stop_keeping_data = persistent_redis
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    stop_keeping_data()
    post.title = "Shared post, revised"
    post.body = factories.markdown_body("## Overview\n\nRewritten while Redis was away.\n")
    factories.publish(post)
    start()

    page = client.get(post.url).content.decode()
    assert "Shared post, revised" in page
    assert "Rewritten while Redis was away." in page


@pytest.mark.django_db
def test_only_the_content_version_is_kept_without_expiry(client, post, shared_redis):
    """Under Redis's volatile-lru policy (docs/DEPLOYMENT.md) only keys with an expiry are
    evicted: the version must be the one key without, and every other key must have one."""
    from django_redis import get_redis_connection

    for url in (post.url, "/posts/", "/", "/search/?q=django", "/search/suggest/?q=dj"):
        client.get(url)

    redis_client = get_redis_connection("default")
    ttls = {key.decode(): redis_client.ttl(key) for key in redis_client.scan_iter("site:*")}
    assert len(ttls) > 3
    assert [key for key, ttl in ttls.items() if ttl < 0] == [cache.make_key("content-version")]


@pytest.mark.django_db
def test_values_built_under_another_script_name_are_kept_apart(post):
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/evil/")
        content_version.cached("links", lambda: "/evil/posts/", request=None)
    finally:
        set_script_prefix("/")

    assert content_version.cached("links", lambda: "/posts/", request=None) == "/posts/"


@pytest.mark.django_db
def test_a_transaction_starts_one_new_version_at_commit_however_many_changes_it_made(
    django_capture_on_commit_callbacks,
):
    # Every version costs every cached page a render.
    with django_capture_on_commit_callbacks() as at_commit:
        for _ in range(3):
            content_version.bump()

    assert at_commit.count(content_version._bump_after_commit) == 1

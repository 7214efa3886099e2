"""The replica router (serving/replica.py): anonymous public reads go to the replica only while it
is up, within the lag bound and caught up with the last publish; the admin, writes and
signed-in users always read the primary; without a replica nothing changes.

The replica's answers are stood in for (its state is what _check_replica records); the cluster
drill (bench/cluster_drill.py) runs the same paths against a real streaming replica.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory

from serving import content_version, replica

ROUTER = replica.ReplicaRouter()


class FakeReplica:
    """The replica's answers: up or not, its lag, the WAL position it has replayed."""

    def __init__(self, monkeypatch, *, up=True, lag=0.0, replayed="0/5000"):
        self.up, self.lag, self.replayed, self.checks = up, lag, replayed, 0
        monkeypatch.setattr(replica, "_check_replica", self.check)
        monkeypatch.setattr(replica, "configured", lambda: True)
        replica._state.update(checked=float("-inf"), up=False, lag=None, replayed=0)

    def check(self):
        self.checks += 1
        replica._state.update(
            up=self.up,
            lag=self.lag if self.up else None,
            replayed=replica.parse_lsn(self.replayed),
            checked=replica.time.monotonic(),
        )


def read_with(request, *, fail_on_replica=False):
    """Runs `request` through the middleware; returns the database its view read from."""
    seen = []

    def view(request):
        database = ROUTER.db_for_read(None)
        seen.append(database)
        if fail_on_replica and database == replica.REPLICA:
            middleware.process_exception(request, OperationalError("replica gone"))
            return HttpResponse(status=500)
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(view)
    response = middleware(request)
    return seen[-1], response


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_without_a_replica_there_is_no_router_and_the_middleware_steps_aside():
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    with pytest.raises(MiddlewareNotUsed):
        replica.ReplicaMiddleware(lambda request: HttpResponse())


def test_an_anonymous_public_read_goes_to_the_replica(monkeypatch):
    FakeReplica(monkeypatch)
    database, _ = read_with(RequestFactory().get("/posts/"))
    assert database == "replica"


def test_reads_go_to_the_primary_when_the_replica_is_down(monkeypatch):
    FakeReplica(monkeypatch, up=False)
    database, _ = read_with(RequestFactory().get("/posts/"))
    assert database == "default"


def test_reads_go_to_the_primary_when_the_replica_lags_past_the_bound(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    FakeReplica(monkeypatch, lag=6.5)
    database, _ = read_with(RequestFactory().get("/posts/"))
    assert database == "default"


def test_reads_return_to_the_replica_when_it_comes_back(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 0
    fake = FakeReplica(monkeypatch, up=False)
    assert read_with(RequestFactory().get("/posts/"))[0] == "default"
    fake.up = True
    assert read_with(RequestFactory().get("/posts/"))[0] == "replica"


def test_a_read_after_a_publish_waits_until_the_replica_has_replayed_it(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 60
    fake = FakeReplica(monkeypatch, replayed="0/5000")
    assert read_with(RequestFactory().get("/posts/"))[0] == "replica"
    cache.set(replica.POSITION_KEY, "0/6000", None)
    # Within the check interval, but the replica is behind the publish: it is asked again.
    assert read_with(RequestFactory().get("/posts/"))[0] == "default"
    fake.replayed = "0/6000"
    assert read_with(RequestFactory().get("/posts/"))[0] == "replica"
    assert fake.checks == 3


def test_the_replica_state_is_checked_at_most_once_per_interval(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 60
    fake = FakeReplica(monkeypatch)
    for _ in range(5):
        read_with(RequestFactory().get("/posts/"))
    assert fake.checks == 1


def test_the_admin_reads_from_the_primary(monkeypatch):
    FakeReplica(monkeypatch)
    database, _ = read_with(RequestFactory().get("/admin/pages/"))
    assert database == "default"


def test_signed_in_readers_read_from_the_primary(monkeypatch):
    FakeReplica(monkeypatch)
    request = RequestFactory().get("/posts/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    database, _ = read_with(request)
    assert database == "default"


def test_writes_go_to_the_primary(monkeypatch):
    FakeReplica(monkeypatch)
    database, _ = read_with(RequestFactory().post("/search/suggest/"))
    assert database == "default"
    assert ROUTER.db_for_write(None) == "default"


def test_migrations_run_on_the_primary_only():
    assert ROUTER.allow_migrate("default", "blog")
    assert not ROUTER.allow_migrate("replica", "blog")


def test_a_read_that_fails_on_the_replica_is_answered_from_the_primary(monkeypatch):
    FakeReplica(monkeypatch)
    monkeypatch.setattr(replica.connections["default"], "close", lambda: None, raising=False)
    monkeypatch.setattr(replica, "connections", {"replica": connection})
    database, response = read_with(RequestFactory().get("/posts/"), fail_on_replica=True)
    assert database == "default"
    assert response.status_code == 200
    assert replica._state["up"] is False


def test_a_replica_that_replayed_all_it_received_is_not_lagging_however_old_the_last_commit():
    # A quiet primary: the last commit was long ago, and nothing new is on its way.
    assert replica.lag_seconds("0/3951018", "0/3951018", 600.0) == 0.0


def test_a_restarted_replica_is_caught_up_though_its_receiver_reports_the_segment_start():
    # Seen on `make cluster` after a replica restart: the WAL receiver reports the start of the
    # segment it streams from (0/3000000), behind what was replayed from local files, until the
    # primary writes again; reads stayed on the primary for as long.
    assert replica.lag_seconds("0/3000000", "0/3951018", 91.0) == 0.0


def test_a_replica_with_received_wal_still_to_replay_lags_by_its_last_commits_age():
    assert replica.lag_seconds("0/3960000", "0/3951018", 6.5) == 6.5


def test_a_replica_without_a_receiver_yet_lags_by_its_last_commits_age():
    assert replica.lag_seconds(None, "0/3951018", 12.0) == 12.0
    assert replica.lag_seconds(None, None, None) == 0.0


def test_wal_positions_compare_as_numbers():
    assert replica.parse_lsn("1/0") > replica.parse_lsn("0/FFFFFFFF")
    assert replica.parse_lsn(None) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the WAL position is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_publish_records_the_primary_position_before_the_version_moves(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    seen = []
    real_bump = content_version._bump
    monkeypatch.setattr(
        content_version,
        "_bump",
        lambda: (seen.append(cache.get(replica.POSITION_KEY)), real_bump()),
    )
    content_version._bump_after_commit()
    assert seen and replica.parse_lsn(seen[0]) > 0


def test_an_error_response_from_a_replica_that_went_down_is_answered_from_the_primary(
    monkeypatch,
):
    fake = FakeReplica(monkeypatch)
    seen = []

    def view(request):
        database = ROUTER.db_for_read(None)
        seen.append(database)
        if database == "replica":
            # The replica stops; a middleware turned the failed query into a 503.
            fake.up = False
            return HttpResponse(status=503)
        return HttpResponse("ok")

    response = replica.ReplicaMiddleware(view)(RequestFactory().get("/posts/"))
    assert seen == ["replica", "default"]
    assert response.status_code == 200


def test_an_error_response_while_the_replica_is_up_is_not_repeated(monkeypatch):
    FakeReplica(monkeypatch)
    calls = []

    def view(request):
        calls.append(ROUTER.db_for_read(None))
        return HttpResponse(status=500)

    response = replica.ReplicaMiddleware(view)(RequestFactory().get("/posts/"))
    assert calls == ["replica"]
    assert response.status_code == 500

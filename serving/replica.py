"""Reads of anonymous public requests from a streaming replica, everything else from the primary.

On only when DATABASE_REPLICA_URL names a replica (settings add the "replica" alias, this router
and its middleware); without one, nothing here runs and every query goes to "default".

A request may read the replica when it is a GET or HEAD outside the admin, carries no session
cookie (signed-in users and editors always see the primary), and the replica is
- up: its state is checked at most once a second per process, and a request that fails on the
  replica is answered again from the primary;
- not lagging past REPLICA_MAX_LAG_SECONDS;
- caught up with the last publish: when published content changes, the primary's WAL position
  is stored in the cache before the content version moves (serving/content_version.py), so a
  reader who sees the new version also sees the position the replica must have replayed.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
# The primary's WAL position after the last publish: the replica must have replayed it.
POSITION_KEY = "replica:publish-lsn"

# Whether the current request's reads may go to the replica (set by the middleware only).
_reads_from_replica = contextvars.ContextVar("reads_from_replica", default=False)

# This process's last look at the replica: (checked at, up, lag seconds, replayed LSN).
_state = {"checked": float("-inf"), "up": False, "lag": None, "replayed": 0}


def configured():
    return REPLICA in settings.DATABASES


def parse_lsn(text):
    """A PostgreSQL WAL position ('16/B374D848') as an integer; 0 for None."""
    if not text:
        return 0
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


class ReplicaRouter:
    """Every write and every read outside an allowed request goes to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The same data on both: an object read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        # The replica replays the primary's migrations through streaming replication.
        return db != REPLICA


def lag_seconds(received, replayed, since_last_replayed_commit):
    """How far behind the replica is, from what it says about itself.

    Nothing received and not yet replayed: caught up (0), however long ago the last commit was
    (a quiet primary). That includes a replica that has just restarted: its WAL receiver reports
    the start of the segment it streams from, behind what the replica already replayed from its
    own files, until the primary sends something new. Otherwise the age of the last commit it
    replayed bounds how stale its reads are. No receiver yet (None): that age too.
    """
    if received is not None and parse_lsn(received) <= parse_lsn(replayed):
        return 0.0
    return float(since_last_replayed_commit or 0)


def _check_replica():
    """Ask the replica how far behind it is; record it as down if it does not answer."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,"
                " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
            )
            received, replayed, since_commit = cursor.fetchone()
        _state.update(
            up=True, lag=lag_seconds(received, replayed, since_commit), replayed=parse_lsn(replayed)
        )
    except DatabaseError:
        if _state["up"]:
            logger.warning("The replica does not answer; reading from the primary")
        _state.update(up=False, lag=None)
        connections[REPLICA].close()
    _state["checked"] = time.monotonic()


def replica_usable(required_lsn):
    """Whether the replica is up, within the lag bound, and has replayed `required_lsn`."""
    interval = getattr(settings, "REPLICA_CHECK_SECONDS", 1.0)
    now = time.monotonic()
    stale = now - _state["checked"] >= interval
    if stale or (_state["up"] and _state["replayed"] < required_lsn):
        _check_replica()
    if not _state["up"]:
        return False
    if _state["lag"] is not None and _state["lag"] > settings.REPLICA_MAX_LAG_SECONDS:
        return False
    return _state["replayed"] >= required_lsn


def request_may_read_replica(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(("/admin/", "/django-admin/")):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def record_primary_position():
    """Store the primary's WAL position after a commit that changed published content."""
    if not configured():
        return
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
    except DatabaseError:
        logger.exception("Cannot read the primary's WAL position")
        return
    cache.set(POSITION_KEY, position, None)


def required_position():
    """The position the replica must have replayed; None if it cannot be known."""
    try:
        return parse_lsn(cache.get(POSITION_KEY))
    except ValueError:
        return None


class ReplicaMiddleware:
    """Lets an anonymous public read use the replica; answers again from the primary on failure."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not request_may_read_replica(request):
            return self.get_response(request)
        required = required_position()
        if required is None or not replica_usable(required):
            return self.get_response(request)
        token = _reads_from_replica.set(True)
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if getattr(request, "_replica_failed", False) or (
            response.status_code >= 500 and not _replica_answers()
        ):
            # The replica went away mid-request (in the view, or in a middleware, where no
            # process_exception sees it). The request only read, so answering it again from
            # the primary is safe, and the reader gets the page rather than an error.
            logger.warning("A read from the replica failed; answering from the primary")
            return self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and _reads_from_replica.get():
            request._replica_failed = True
            _state.update(up=False, checked=time.monotonic())
            connections[REPLICA].close()
        return None


def _replica_answers():
    """After an error response: ask the replica again, now; False if it is down."""
    _check_replica()
    return _state["up"]

"""One Redis key held in this process until Redis says it changed (server-assisted caching).

Every page-cache hit needs the content version. Read from Redis each time, that is a network
round trip per request, more than the rest of a hit costs. Redis can instead tell a client when
a key it has read changes (`CLIENT TRACKING`, Redis 6 and later): this process reads the version
once on a connection of its own with tracking on, keeps it, and before each use looks, without
waiting, for an invalidation message on that connection.

Why the next request after a publish sees the new version: Redis queues the invalidation for
every tracking client while it runs the write that changes the key, and writes every queued
reply and message before it reads the next command from anyone. The publisher's bump
(content_version._bump) reads the key back after writing it; when that read is answered, the
invalidation is already in this connection's socket buffer. (Without such a read-back the
writer's own reply can be written a moment before the message: the tests do the same with a
PING.)

Any error (Redis down, a proxy without tracking, a dropped connection) forgets the value and the
connection; `get` then says it could not answer and the caller reads the key the ordinary way.

Why not redis-py's own client-side caching (`Redis(protocol=3, cache_config=CacheConfig())`),
which does the same through public API: redis-py 8.1 refuses to connect that way to any server
that does not call itself Redis 7.4 or later (a ConnectionError on the first command), and the
Redis this site runs on Debian 12, the one `make cluster` starts, is 7.0; managed Redis 7.0-7.2
and Valkey are refused too. CLIENT TRACKING itself needs only Redis 6. The test
test_redis_pys_own_client_side_caching_refuses_the_redis_the_site_runs shows the refusal, and
skips once the Redis it runs against is new enough to reconsider. (Reading redis-py's source,
not run here for that reason: its cache also outlives a fork, so a gunicorn worker could hold
entries its master cached, tied to the master's socket; this class checks the process id.)
"""

import logging
import os
import threading
import time

import redis

logger = logging.getLogger(__name__)

TIMEOUT = 0.25  # seconds, as for the cache's own connections
# After a connection could not be made, requests read the key the ordinary way for this long
# before the next attempt, rather than each paying for a failed connect.
RETRY_SECONDS = 1.0
_UNKNOWN = object()


class TrackedKey:
    def __init__(self, url, key):
        self.url = url
        self.key = key
        self.client = None
        self.pid = None
        self.value = _UNKNOWN
        self.supported = True
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def get(self):
        """(True, raw value or None), or (False, None) when Redis could not be asked this way."""
        if not self.supported or time.monotonic() < self.retry_at:
            return False, None
        with self.lock:
            try:
                self._ready()
                if self.value is _UNKNOWN:
                    value = self.client.get(self.key)
                    # Only a value that exists is kept; a missing key is asked for again.
                    self.value = _UNKNOWN if value is None else value
                    return True, value
                return True, self.value
            except redis.ResponseError:
                logger.warning(
                    "Redis refused CLIENT TRACKING; reading the content version each time"
                )
                self.supported = False
                self._forget()
                return False, None
            except (redis.RedisError, OSError):
                if self.client is None:  # the connection could not be made
                    self.retry_at = time.monotonic() + RETRY_SECONDS
                self._forget()
                return False, None

    def _ready(self):
        if self.client is not None and self.pid != os.getpid():
            # Inherited from the process that forked this one: that socket is not ours to read.
            self.client, self.value = None, _UNKNOWN
        if self.client is None:
            self._connect()
            return
        connection = self.client.connection
        while connection.can_read(timeout=0):
            # Invalidations (handled by _invalidated), or a closed connection (raises).
            connection.read_response(push_request=True, timeout=0, disconnect_on_error=False)

    def _connect(self):
        client = redis.Redis.from_url(
            self.url,
            protocol=3,
            single_connection_client=True,
            socket_timeout=TIMEOUT,
            socket_connect_timeout=TIMEOUT,
        )
        client.connection.connect()
        client.connection._parser.set_invalidation_push_handler(self._invalidated)
        client.execute_command("CLIENT", "TRACKING", "ON")
        self.client, self.pid, self.value = client, os.getpid(), _UNKNOWN

    def _invalidated(self, message):
        # Only this key is read on this connection, so any invalidation (or a flush: None) is it.
        self.value = _UNKNOWN

    def _forget(self):
        client, self.client, self.value = self.client, None, _UNKNOWN
        if client is not None:
            try:
                client.close()
            except (redis.RedisError, OSError):
                pass

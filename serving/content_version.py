"""The site-wide content version: one token that changes whenever published content changes.

Everything cached from the database (whole pages, resolved routes, the compilation map) is
stored under the version it was built from, so a publish anywhere makes all of it stale at once,
on every worker and every host, without deleting a single key.

The token lives where every process can read it: in the shared cache (Redis) when the default
cache is shared, or in a small file under var/ when the cache is per-process local memory (one
host, several gunicorn workers). Tests keep it in the (local-memory) cache.

When the shared cache cannot be reached, a publish cannot store its new version; when the cache
comes back *with its data* (persistence, a failover, the end of a partition), it would still hold
the old version and everything built under it: pages, routes and fragments of the old content.
So a process that found the cache unreachable, for a read or for a bump, starts a new version as
soon as it reaches the cache again: whatever changed meanwhile is then shown at once.
"""

import logging
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import get_script_prefix
from django.utils import translation

from . import replica
from .tracked import TrackedKey

logger = logging.getLogger(__name__)

CACHE_KEY = "content-version"
# How long the derived caches keep an entry; the version, not this, keeps them correct.
DERIVED_SECONDS = 60 * 60 * 24


def _new_token():
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def _file():
    location = getattr(settings, "CONTENT_VERSION_STORE", "cache")
    return None if location == "cache" else Path(location)


# The last token read from the version file, with the file's identity when it was read. A
# stat() per request (microseconds) tells whether another process has replaced the file since;
# only then is it opened and read again. Never stale: the check runs on every call.
_last_read = {"identity": None, "token": None}


def current():
    """The current version token, creating one if none exists; None if it cannot be read.

    None means the store is unreachable (Redis down): callers then neither read nor write
    anything version-keyed and serve straight from the database.
    """
    path = _file()
    if path is not None:
        try:
            stat = os.stat(path)
            identity = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if _last_read["identity"] != identity:
                _last_read["token"] = path.read_text().strip() or None
                _last_read["identity"] = identity
            return _last_read["token"]
        except FileNotFoundError:
            return _write_file(path, _new_token())
        except OSError:
            logger.warning("Cannot read the content version file %s", path)
            return None
    token = _read_cache()
    if token is None:
        _outage["seen"] = True
    elif _outage["seen"]:
        # Back after an outage: a publish may have happened meanwhile (here or elsewhere).
        token = _store_in_cache(_new_token())
    return token


# Whether this process found the shared cache unreachable since it last stored a version.
_outage = {"seen": False}


def _read_cache():
    tracked = _tracked()
    if tracked is not None:
        answered, raw = tracked.get()
        if answered and raw is not None:
            return cache.client.decode(raw)
    token = cache.get(CACHE_KEY)
    if token is None:
        cache.add(CACHE_KEY, _new_token(), None)
        token = cache.get(CACHE_KEY)
    return token


def _store_in_cache(token):
    """Store `token` as the version; the token, or None (and the outage noted) if it failed."""
    cache.set(CACHE_KEY, token, None)
    # The read-back also waits until Redis has sent every worker's tracked connection its
    # invalidation for the old token (serving/tracked.py).
    if cache.get(CACHE_KEY) != token:
        _outage["seen"] = True
        return None
    _outage["seen"] = False
    return token


# cache alias location -> TrackedKey: the version as this process last heard it from Redis.
_tracked_keys = {}


def _tracked():
    """The tracked version key when the default cache is Redis (django-redis), else None.

    CONTENT_VERSION_TRACKING = False turns it off (for a Redis proxy without CLIENT TRACKING;
    one is also detected and logged at the first refusal).
    """
    if not getattr(settings, "CONTENT_VERSION_TRACKING", True):
        return None
    config = settings.CACHES["default"]
    if config["BACKEND"] != "django_redis.cache.RedisCache":
        return None
    location = config["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location
    key = cache.make_key(CACHE_KEY)
    tracked = _tracked_keys.get((url, key))
    if tracked is None:
        tracked = _tracked_keys[(url, key)] = TrackedKey(url, key)
    return tracked


def _write_file(path, token):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
        with os.fdopen(fd, "w") as handle:
            handle.write(token)
        os.replace(tmp, path)
    except OSError:
        logger.exception("Cannot write the content version file %s", path)
        return None
    return token


SUPERSEDED_PREFIX = "content-version-superseded:"


def superseded_at(token):
    """When `token` stopped being the current version (time.time_ns()), or None if unknown."""
    return cache.get(SUPERSEDED_PREFIX + str(token))


def _bump():
    token = _new_token()
    path = _file()
    if path is not None:
        _write_file(path, token)
        return
    # When the version being replaced stopped being current, for pages cached under it that
    # may still answer for a few seconds (serving/stale_pages.py): recorded before the new
    # version exists, and only once (the first replacement is the one that counts).
    previous = cache.get(CACHE_KEY)
    if previous is not None:
        cache.add(SUPERSEDED_PREFIX + str(previous), time.time_ns(), DERIVED_SECONDS)
    if _store_in_cache(token) is None:
        # The cache is unreachable: nothing is read from it until it answers again, and then
        # this process starts a new version (see current()).
        logger.error(
            "Could not store a new content version; a new one follows when the cache answers"
        )


def bump():
    """Make everything cached from the database stale, now and again when the transaction commits.

    The second bump matters: a request that read the new version before the commit may have
    rendered the old content and cached it under the new version. A transaction bumps at its
    commit once, however many changes it made; outside a transaction (autocommit) the change is
    committed already and one bump is enough. Every version costs every cached page a render.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump_after_commit()
        return
    _bump()
    if not any(func is _bump_after_commit for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit)


def _bump_after_commit():
    # First where the replica must have got to, then the version: a reader who sees the new
    # version also sees the position (serving/replica.py).
    replica.record_primary_position()
    _bump()


def versioned_key(name, version):
    return f"v:{version}:{name}"


def for_request(request):
    """The version everything this request reads from the cache is keyed under, read once.

    The route cache reads it before the page is fetched, so anything built from that page and
    stored under this version is at least as new as the version says. Reading the version
    again later could pair a page read before a publish with the version that publish made,
    and keep the old render under the new version until the next publish.
    """
    if not hasattr(request, "_content_version"):
        request._content_version = current()
    return request._content_version


def set_for_request(request, version):
    """The page cache read the version first, before anything else: the request keeps that."""
    request._content_version = version


def cached(name, build, *, request, timeout=DERIVED_SECONDS):
    """build(), cached under the content version (built afresh when there is none).

    Under the version `request` read first (see for_request); with request=None, outside any
    request, under the version current now. None is never stored: it would read back as a miss.
    """
    return cached_many([name], lambda names: {name: build()}, request=request, timeout=timeout)[
        name
    ]


def cached_many(names, build_missing, *, request, timeout=DERIVED_SECONDS):
    """{name: value} for every name, as cached() keeps them, read from the cache in one round
    trip; build_missing(names not found) returns {name: value} for those, built together (one
    query for all of them, say)."""
    version = current() if request is None else for_request(request)
    if version is None:
        return build_missing(list(names))
    # Links are built under the request's script name (a proxy's SCRIPT_NAME): values built
    # under another one are kept apart.
    prefix = get_script_prefix()
    # ...and values rendered in another language than the default one (interface strings,
    # dates, links with a language prefix) apart from the default language's.
    language = translation.get_language() or settings.LANGUAGE_CODE
    suffix = ("" if prefix == "/" else f"@{prefix}") + (
        "" if language == settings.LANGUAGE_CODE else f"@lang:{language}"
    )
    keys = {name: versioned_key(f"{name}{suffix}", version) for name in names}
    found = cache.get_many(list(keys.values()))
    values = {name: found.get(key) for name, key in keys.items()}
    missing = [name for name, value in values.items() if value is None]
    if missing:
        built = build_missing(missing)
        values.update(built)
        cache.set_many(
            {keys[name]: value for name, value in built.items() if value is not None}, timeout
        )
    return values


# name -> (version, value): values built in this process for the current version.
_memo = {}


def memoized(name, build):
    """build(), kept in this process while the content version stays the same.

    For derived values read on many requests and expensive to unpickle from a shared cache (the
    search vocabulary, the compilation's search index): each process builds its own once per
    version. The version is read on every call, so a publish anywhere is seen at once.
    """
    version = current()
    if version is None:
        return build()
    held = _memo.get(name)
    if held is not None and held[0] == version:
        return held[1]
    value = build()
    _memo[name] = (version, value)
    return value

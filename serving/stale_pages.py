"""After a publish, readers keep getting the previous page while one request renders the new one.

A publish starts a new content version, which makes every cached page stale at once: without
this, every page would be rendered again in the same second, and readers would queue behind
those renders. Instead, for a few seconds after a new version (PAGE_CACHE_STALE_SECONDS), a page
cached under an older version is still answered (`X-Page-Cache: stale`): each page is due for
its render at a moment of that window fixed by its cache key, so the renders follow one another
rather than all at once; then exactly one request renders it (a lock in the shared cache), and
once stored everyone gets the new page.

Not answered from before:
- the page that changed: a published or saved page records its path, and the first request
  for it after the record renders it at once; its other readers get the copy from before only
  while that one render runs (CHANGED_RENDER_SECONDS at most);
- anything after a change that can hide or move content (an unpublish, a move, a delete, a view
  restriction, a site or a setting): it records a site-wide mark and every older copy is a miss,
  as without this module;
- any copy once the current version is older than PAGE_CACHE_STALE_SECONDS: a published change
  shows within those seconds on every page, however the re-render went.

Records are kept in the default cache (Redis when shared), so they reach every host. The times
come from the version tokens, which begin with the nanosecond they were made, and from the
moment each version was replaced (content_version.superseded_at), from which the window runs.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import content_version

CHANGED_PREFIX = "page-changed:"
EVERYTHING_KEY = "content-changed-everything"
RENDER_LOCK_PREFIX = "page-rendering:"


def stale_seconds():
    # The change records must reach every process: with the version in a file (no Redis, one
    # host), the cache is each process's own, so nothing is answered from before.
    if getattr(settings, "CONTENT_VERSION_STORE", "cache") != "cache":
        return 0
    return getattr(settings, "PAGE_CACHE_STALE_SECONDS", 0)


def token_time_ns(token):
    """When a content version token was made (its first hex digits are time.time_ns())."""
    try:
        return int(str(token)[:-6], 16)
    except ValueError:
        return None


def record_page_change(path):
    """A page at `path` (as a request asks for it) changed: the next request for it renders it,
    and an older copy answers only while that render runs."""
    _record(CHANGED_PREFIX + path)


def record_change_everywhere():
    """Something that may hide or move content changed: no older copy of any page is answered."""
    _record(EVERYTHING_KEY)


def _record(key):
    """Now, and again when the transaction commits: a page rendered between the two may show
    the content from before the commit (see content_version.bump), so it must not count as
    newer than the change."""
    if not stale_seconds():
        return

    def mark():
        cache.set(key, time.time_ns(), keep_seconds())

    mark()
    transaction.on_commit(mark)


def keep_seconds():
    # A record matters only while the version after it may still be answered stale.
    return max(60, stale_seconds() * 4)


# The page that changed is rendered by the first request after the publish; while that one
# render runs (never longer than this), its other readers get the copy from before.
CHANGED_RENDER_SECONDS = 3
# Other pages are due for their render at a point of the window fixed by their key, spread over
# this share of it: a publish re-renders them one after another, not all in the same second.
SPREAD = 0.8


def may_answer(stale_entry, version, key, path, stores):
    """True when `stale_entry` may answer this request instead of a render.

    `stores` says whether this request would store the page it renders (a GET in the page's
    canonical form): only such a request takes the render lock, and gets False when it does.
    """
    timing = _timing(stale_entry, version, key)
    if timing is None:
        return False
    now, due = timing
    hidden_or_moved, this_page_changed = _changes_since(stale_entry, version, path)
    if hidden_or_moved:
        return False
    lock = f"{RENDER_LOCK_PREFIX}{version}:{key}"
    if this_page_changed:
        # The page itself changed: rendered at once, by one request.
        if not stores:
            return cache.get(lock) is not None
        return not cache.add(lock, 1, CHANGED_RENDER_SECONDS)
    if now < due or not stores:
        return True
    return not cache.add(lock, 1, stale_seconds())


def answers_before_due(stale_entry, version, key, path):
    """True when `stale_entry` answers without asking the shared cache anything: the page
    did not change itself and is not yet due for its render, so no newer copy can exist."""
    timing = _timing(stale_entry, version, key)
    if timing is None or timing[0] >= timing[1]:
        return False
    return not any(_changes_since(stale_entry, version, path))


def _changes_since(stale_entry, version, path):
    """(content was hidden or moved, this page changed) since `stale_entry` was rendered."""
    rendered_under = token_time_ns(stale_entry.version)
    records = _records(version, path)
    return (
        records.get(EVERYTHING_KEY, 0) >= rendered_under,
        records.get(CHANGED_PREFIX + path, 0) >= rendered_under,
    )


def _timing(stale_entry, version, key):
    """(now, when the page is due for its render) while its copy may still answer, else None.

    The window runs from when the copy's version was first replaced, so pages follow changes
    within PAGE_CACHE_STALE_SECONDS however often a new version comes after that.
    """
    seconds = stale_seconds()
    if not seconds or stale_entry.status != 200 or stale_entry.version == version:
        return None
    if token_time_ns(stale_entry.version) is None:
        return None
    since = _superseded_at(stale_entry.version)
    if since is None:
        return None
    now = time.time_ns()
    if now - since > seconds * 1_000_000_000:
        return None
    return now, since + int(seconds * SPREAD * 1_000_000_000 * _share(key))


# Version -> when it was replaced: set once, so each process asks the shared cache once.
_superseded = {}


def _superseded_at(version):
    held = _superseded.get(version)
    if held is None:
        held = content_version.superseded_at(version)
        if held is not None:
            if len(_superseded) > 1_000:
                _superseded.clear()
            _superseded[version] = held
    return held


# The change records seen under the current version, by path. Every record is written before the
# version it belongs to exists (see _record), so within one version they never change: each
# process asks the shared cache once per version and page.
_seen = {"version": None, "records": {}}


def _records(version, path):
    if _seen["version"] != version:
        _seen.update(version=version, records={})
    records = _seen["records"]
    if path not in records:
        if len(records) > 10_000:  # made-up paths: keep the memory bounded
            records.clear()
        records[path] = cache.get_many([EVERYTHING_KEY, CHANGED_PREFIX + path])
    return records[path]


def _share(key):
    """A fraction in [0, 1) fixed by the page's cache key (a hex digest)."""
    return int(key[-8:], 16) / 0x1_0000_0000

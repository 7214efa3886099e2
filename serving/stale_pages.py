"""After a publish, readers keep getting the previous page while one request renders the new one.

A publish starts a new content version, which makes every cached page stale at once: without
this, every reader of every page would wait for a render in the same second. Instead, for a few
seconds after a new version (PAGE_CACHE_STALE_SECONDS), a page cached under an older version is
still answered (`X-Page-Cache: stale`) while exactly one request per page and version renders
it afresh (a lock in the shared cache); once stored, everyone gets the new page.

Never stale:
- the page that changed: a published, saved or unpublished page records its path, and a stale
  copy of that path older than the record is never answered, so an editor who publishes sees
  the change on the very next request;
- anything after a change that can hide or move content (an unpublish, a move, a delete, a view
  restriction, a site or a setting): it records a site-wide mark and every older copy is a miss,
  as without this module;
- any copy once the current version is older than PAGE_CACHE_STALE_SECONDS: a published change
  shows within those seconds on every page, however the re-render went.

Records are kept in the default cache (Redis when shared), so they reach every host. The times
come from the version tokens, which begin with the nanosecond they were made.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

CHANGED_PREFIX = "page-changed:"
EVERYTHING_KEY = "content-changed-everything"
RENDER_LOCK_PREFIX = "page-rendering:"


def stale_seconds():
    return getattr(settings, "PAGE_CACHE_STALE_SECONDS", 0)


def token_time_ns(token):
    """When a content version token was made (its first hex digits are time.time_ns())."""
    try:
        return int(str(token)[:-6], 16)
    except ValueError:
        return None


def record_page_change(path):
    """A page at `path` (as a request asks for it) changed: no older copy of it is answered."""
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


def may_answer(stale_entry, version, key, path, stores):
    """True when `stale_entry` may answer this request instead of a render.

    `stores` says whether this request would store the page it renders (a GET in the page's
    canonical form): only such a request takes the render lock, and gets False when it does.
    """
    seconds = stale_seconds()
    if not seconds or stale_entry.status != 200:
        return False
    now = time.time_ns()
    current_since = token_time_ns(version)
    rendered_under = token_time_ns(stale_entry.version)
    if current_since is None or rendered_under is None:
        return False
    if now - current_since > seconds * 1_000_000_000:
        return False
    records = cache.get_many([EVERYTHING_KEY, CHANGED_PREFIX + path])
    if any(changed >= rendered_under for changed in records.values()):
        return False
    if not stores:
        return True
    # The first request for this page under this version renders it; the others get the copy.
    return not cache.add(f"{RENDER_LOCK_PREFIX}{version}:{key}", 1, seconds)

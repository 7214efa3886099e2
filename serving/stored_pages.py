"""A cached page as HTTP sends it: compressed once, with validators, revalidated without a render.

When the page cache stores a page it also keeps a gzip copy of its body (made once per entry,
not per request), an `ETag` (a hash of the body, so a page re-rendered under a new content version
with the same bytes keeps its tag), a `Last-Modified` (when it was rendered) and, unless the view
set its own, `Cache-Control: public` with a short `max-age` for browsers
(PAGE_CACHE_BROWSER_SECONDS) and `s-maxage` = PAGE_CACHE_SECONDS for shared caches (a CDN).

Answering an entry: a request whose `If-None-Match` names the tag (or, without one, whose
`If-Modified-Since` is not older than the page) gets a 304 with no body; a client that accepts
gzip gets the compressed copy (`Vary: Accept-Encoding` tells caches the two apart); everyone
else gets the page as rendered. Brotli would save a few more kilobytes but needs a compiled
dependency; gzip is in the standard library and every client accepts it.
"""

import functools
import gzip
import hashlib
from collections import namedtuple
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from django.conf import settings
from django.utils.http import http_date

# What one cache entry holds: the body and its gzip copy (None when not worth compressing), and
# the header lists each answer sends, made once when the page is stored so that a hit only picks
# one: the page as rendered, the gzip copy, and a 304 (less its ETag, which names the copy).
StoredPage = namedtuple(
    "StoredPage",
    "version status body gzipped etag last_modified plain_headers gzip_headers "
    "not_modified_headers",
)

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
# Below this a compressed body saves less than its own header costs.
MIN_COMPRESS_BYTES = 256
# The headers a 304 repeats (RFC 9110 15.4.5): caches update their stored copy from them.
NOT_MODIFIED_HEADERS = ("cache-control", "content-location", "etag", "expires", "vary")


def browser_seconds():
    return getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 60)


def build(version, response, rendered_at):
    """The entry for `response`, rendered under content `version` at `rendered_at` (epoch s)."""
    body = response.content
    headers = dict(response.headers._store)
    content_type = headers.get("content-type", ("", ""))[1].lower()
    gzipped = None
    if (
        len(body) >= MIN_COMPRESS_BYTES
        and content_type.startswith(COMPRESSIBLE_TYPES)
        and "content-encoding" not in headers
    ):
        # mtime=0: the same body always compresses to the same bytes.
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    etag = headers.get("etag", (None, None))[1]
    if etag is None:
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers["etag"] = ("ETag", etag)
    last_modified = int(rendered_at)
    headers.setdefault("last-modified", ("Last-Modified", http_date(last_modified)))
    headers.setdefault(
        "cache-control",
        (
            "Cache-Control",
            f"public, max-age={browser_seconds()}, "
            f"s-maxage={getattr(settings, 'PAGE_CACHE_SECONDS', 0)}",
        ),
    )
    if gzipped is not None:
        vary = headers.get("vary", ("Vary", ""))[1]
        if "accept-encoding" not in vary.lower():
            headers["vary"] = ("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding")
    sent = [pair for name, pair in headers.items() if name not in ("content-length", "etag")]
    plain = (*sent, ("ETag", etag), ("Content-Length", str(len(body))))
    compressed = None
    if gzipped is not None:
        compressed = (
            *sent,
            ("ETag", gzip_etag(etag)),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(gzipped))),
        )
    not_modified_headers = tuple(
        pair for name, pair in headers.items() if name in NOT_MODIFIED_HEADERS and name != "etag"
    )
    return StoredPage(
        version,
        response.status_code,
        body,
        gzipped,
        etag,
        last_modified,
        plain,
        compressed,
        not_modified_headers,
    )


def gzip_etag(etag):
    """The tag of the compressed copy: a strong tag names one representation's bytes."""
    return f'{etag[:-1]}-gzip"' if etag.endswith('"') else etag


def accepts_gzip(accept_encoding):
    """True when the Accept-Encoding header accepts gzip (a q of 0 refuses it)."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip()
            if not quality:
                return True
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def not_modified(entry, if_none_match, if_modified_since):
    """True when the client's copy is the stored page (RFC 9110 13.1.1 and 13.1.3), in either
    encoding."""
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return bool({"*", entry.etag, gzip_etag(entry.etag)} & tags)
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return entry.last_modified <= since
    return False


def answer(entry, environ):
    """(status, header list, body) for `entry` answering the request in WSGI `environ`."""
    gzipped = entry.gzipped is not None and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if entry.status == 200 and not_modified(
        entry, environ.get("HTTP_IF_NONE_MATCH", ""), environ.get("HTTP_IF_MODIFIED_SINCE", "")
    ):
        etag = gzip_etag(entry.etag) if gzipped else entry.etag
        return 304, [*entry.not_modified_headers, ("ETag", etag)], b""
    headers, body = (
        (entry.gzip_headers, entry.gzipped) if gzipped else (entry.plain_headers, entry.body)
    )
    if environ.get("REQUEST_METHOD") == "HEAD":
        body = b""
    return entry.status, [*headers], body


@functools.cache
def status_line(status):
    return f"{status} {HTTPStatus(status).phrase}"

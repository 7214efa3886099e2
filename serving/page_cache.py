"""Whole pages for anonymous readers, from the shared cache, before any other middleware runs.

A cached page is answered at the top of the middleware stack: no session, user, CSRF or URL
resolving work. A page is stored only when nothing in the request or the response says it is
personal: no session or CSRF cookie, no Authorization header, a 200 that sets no cookie, used no
CSRF token or CSP nonce, is not marked private or uncacheable, and varies on nothing but Cookie.
The admin, documents, static files and searches with a query never enter the cache.

The key is built from what Django builds the response from: the scheme, the host as Django
validates it (lower case, no trailing dot), the port, the script name (a proxy's SCRIPT_NAME
prefixes every link) and the path. Of the query string only the parameters the site's pages read
(PAGE_CACHE_QUERY_PARAMS) enter the key: `?utm_source=x` is answered from the page without it,
and only a request in that canonical form stores a page, so host spellings and made-up
parameters cannot fill the cache. Each client address may store only so many pages per
PAGE_CACHE_SECONDS (PAGE_CACHE_STORES_PER_CLIENT). A request Django would refuse (a host
outside ALLOWED_HOSTS, an empty Host) never gets a cached page.

An entry keeps the page as HTTP sends it (serving/stored_pages.py): a gzip copy made once, an
ETag and Last-Modified that let a revalidation be answered 304 without a render, and
Cache-Control for browsers and shared caches. A miss is answered from the entry it has just
stored, so the first reader gets the same headers as every later one.

Each entry records the content version it was rendered under; an entry from an older version is
a miss (see content_version), so publishing invalidates every page on every worker and host.
Reads and writes go through the default cache, which swallows connection errors: without Redis
every request is simply a miss.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qs, parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port
from django.utils.cache import cc_delim_re

from editorial.signin import client_ip

from . import content_version, stale_pages
from .stored_pages import StoredPage, answer, status_line
from .stored_pages import build as build_entry

HEADER = "X-Page-Cache"
LOOKED_UP = "serving.page_cache.looked_up"
# The format number changes with StoredPage's fields: entries of an earlier format are never read.
ENTRY_PREFIX = "page:2:"
STORES_PREFIX = "page-stores:"
MAX_QUERY_STRING = 256
MAX_PARAM_CHARS = 100
UNCACHEABLE_CONTROL = ("private", "no-store", "no-cache")


def excluded_prefixes():
    return (
        "/admin/",
        "/documents/",
        "/_util/",
        "/healthz",
        settings.STATIC_URL,
        settings.MEDIA_URL,
        *getattr(settings, "PAGE_CACHE_EXCLUDE", ()),
    )


class CacheableRequest:
    """Decides whether a request may be answered from (and stored in) the page cache.

    Built once per process from settings: it runs on every request, so it reads nothing twice.
    """

    def __init__(self):
        self.prefixes = excluded_prefixes()
        # A session (logged in, or a passed page password), a CSRF token (a form was shown), or
        # a pending flash message: the response may be meant for this browser only.
        self.personal_cookies = (
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
            "messages",
        )
        self.ssl_redirect = getattr(settings, "SECURE_SSL_REDIRECT", False)
        # The search page in every language: /search/, /fr/search/...
        self.search_prefixes = (
            "/search/",
            *(f"/{code}/search/" for code, _name in getattr(settings, "LANGUAGES", ())),
        )

    def __call__(self, environ):
        """True when an anonymous reader asks for something the page cache may answer.

        Reads only the WSGI environ (request.META), so that it can run before Django builds
        a request at all (PageCacheApplication).
        """
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        if "HTTP_COOKIE" in environ:
            cookies = parse_cookie(environ["HTTP_COOKIE"])
            if any(name in cookies for name in self.personal_cookies):
                return False
        if "HTTP_AUTHORIZATION" in environ:
            return False
        query = environ.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING:
            return False
        if self.ssl_redirect and environ.get("wsgi.url_scheme") != "https":
            return False  # SecurityMiddleware redirects it to HTTPS
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefixes):
            return False
        if path.startswith(self.search_prefixes) and any(
            value.strip() for value in parse_qs(query).get("q", [])
        ):
            return False
        return True


def response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED") or getattr(request, "is_preview", False):
        return False
    # A page that used its CSP nonce (django-csp's request.csp_nonce, true once generated) is
    # for that response only: a replayed copy would carry a nonce the header no longer matches.
    if getattr(request, "csp_nonce", None):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNCACHEABLE_CONTROL):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= {"cookie"}


class CacheKey:
    """Where a request's page is kept, from the request Django would build for it.

    `key` is None when Django would refuse the request (its host) or the page cache must not
    answer it (a parameter value too long); `canonical` is True when the request is spelled the
    way its key is, the only form that may store a page.
    """

    def __init__(self, request):
        self.key = None
        self.canonical = False
        self.path = request.path_info
        try:
            host = request.get_host()
        except DisallowedHost:
            return  # CommonMiddleware answers 400
        domain, port = split_domain_port(host)
        canonical_host = f"{domain}:{port}" if port else domain
        path = request.path_info
        raw_query = request.META.get("QUERY_STRING", "")
        params = parse_qsl(raw_query, keep_blank_values=True)
        if any(len(value) > MAX_PARAM_CHARS for _, value in params):
            return
        if path.startswith(full_query_prefixes()):
            query = raw_query  # every parameter changes the answer
        else:
            known = query_params()
            # Views read one value per name (QueryDict.get: the last), so that one is kept.
            kept = {name: value for name, value in params if name in known}
            query = urlencode(sorted(kept.items()))
        raw = "\n".join(
            (
                request.scheme,
                canonical_host,
                request.get_port(),
                get_script_name(request.META),
                path,
                query,
            )
        )
        self.key = ENTRY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
        self.canonical = host == canonical_host and raw_query == query


def query_params():
    return getattr(settings, "PAGE_CACHE_QUERY_PARAMS", ())


def full_query_prefixes():
    return tuple(getattr(settings, "PAGE_CACHE_FULL_QUERY_PREFIXES", ()))


def entry_key(environ):
    """The CacheKey of a request given as its WSGI environ (before Django has built one)."""
    return CacheKey(WSGIRequest(environ))


def may_store(request):
    """True while this client address has stored fewer pages than its share this period."""
    limit = getattr(settings, "PAGE_CACHE_STORES_PER_CLIENT", 0)
    if not limit:
        return True
    key = STORES_PREFIX + str(client_ip(request))
    cache.add(key, 0, page_cache_seconds())
    try:
        count = cache.incr(key)
    except ValueError:  # gone between add and incr (expired, evicted, or no cache)
        return True
    return count <= limit


class LocalPages:
    """The pages this process served lately, for the current content version only.

    With Redis, a hit would otherwise fetch the whole page from Redis on every request; here
    only the version (a few bytes) makes the round trip, and a page this worker already holds
    for that version is answered from its own memory. The version is still read on every
    request, so a publish on any host is seen at once; a new version empties the store. At most
    `max_bytes` of page bodies are kept, least recently used first out, and none longer than
    PAGE_CACHE_SECONDS, like the shared copies.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.version = None
        self.entries = OrderedDict()
        self.size = 0
        # The pages held when the version last changed: copies from before, which may still
        # answer for a few seconds (serving/stale_pages.py) without a trip to the shared cache.
        self.previous = {}
        self.lock = threading.Lock()  # gunicorn's threaded workers share a process

    def get(self, key, version):
        with self.lock:
            if version != self.version:
                self._reset(version)
                return None
            held = self.entries.get(key)
            if held is None:
                return None
            expires, entry = held
            if expires < time.monotonic():
                self._remove(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry, seconds):
        size = entry_size(entry)
        if size > self.max_bytes:
            return
        with self.lock:
            if entry[0] != self.version:
                self._reset(entry[0])
            self._remove(key)
            self.entries[key] = (time.monotonic() + seconds, entry)
            self.size += size
            while self.size > self.max_bytes:
                self._remove(next(iter(self.entries)))

    def _remove(self, key):
        held = self.entries.pop(key, None)
        if held is not None:
            self.size -= entry_size(held[1])

    def _reset(self, version):
        if self.entries:
            self.previous = {key: held[1] for key, held in self.entries.items()}
        self.version = version
        self.entries = OrderedDict()
        self.size = 0

    def previous_entry(self, key):
        with self.lock:
            return self.previous.get(key)


def entry_size(entry):
    return len(entry.body) + len(entry.gzipped or b"")


local_pages = LocalPages(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))


def lookup(where, method):
    """(current version, entry or None, "hit", "stale" or "replace").

    "replace" means no entry answers, but one of an older version is there: storing the new
    render replaces it, which adds nothing to what the cache holds.

    A hit costs one small read of the version: the entry comes from this process's memory when
    it holds it for that version, and from the shared cache otherwise (a second read). An entry
    of an older version may still answer for a few seconds after a publish, while one request
    renders the page afresh (serving/stale_pages.py).
    """
    version = content_version.current()
    if version is None:
        return None, None, None
    entry = local_pages.get(where.key, version)
    if entry is not None:
        return version, entry, "hit"
    before = local_pages.previous_entry(where.key)
    if before is not None and stale_pages.answers_before_due(
        before, version, where.key, where.path
    ):
        return version, before, "stale"
    entry = cache.get(where.key)
    # An entry of another shape (stored by an earlier release of this code) is a miss.
    if not isinstance(entry, StoredPage):
        return version, None, None
    if entry.version == version:
        local_pages.put(where.key, entry, page_cache_seconds())
        return version, entry, "hit"
    stores = method == "GET" and where.canonical
    if stale_pages.may_answer(entry, version, where.key, where.path, stores):
        return version, entry, "stale"
    return version, None, "replace"


def page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


class PageCacheMiddleware:
    """Stores pages; answers hits itself when PageCacheApplication is not in front (tests)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.request_is_cacheable = CacheableRequest()

    def __call__(self, request):
        seconds = page_cache_seconds()
        if not seconds or not self.request_is_cacheable(request.META):
            return self.get_response(request)

        # PageCacheApplication already looked this request up and found no entry.
        where, version, state = request.META.get(LOOKED_UP) or (None, None, None)
        if where is None:
            where = CacheKey(request)
            if where.key is None:
                return self.get_response(request)
            version, entry, state = lookup(where, request.method)
            if entry is not None:
                return self.replay(request, entry, state)
        key = where.key
        content_version.set_for_request(request, version)

        response = self.get_response(request)
        if version is not None and request.method == "GET" and where.canonical:
            # Replacing an older entry adds nothing: only new entries count against the
            # client's share.
            if response_is_cacheable(request, response) and (
                state == "replace" or may_store(request)
            ):
                entry = build_entry(version, response, time.time())
                cache.set(key, entry, seconds)
                local_pages.put(key, entry, seconds)
                return self.replay(request, entry, state="miss")
        return response

    def replay(self, request, entry, state="hit"):
        status, headers, body = answer(entry, request.META)
        response = HttpResponse(body, status=status)
        # The stored headers were validated when the page was first rendered: put them back
        # as Django keeps them, without encoding each one again (a third of a hit's cost).
        response.headers._store = {name.lower(): (name, value) for name, value in headers}
        response[HEADER] = state
        return response


class PageCacheApplication:
    """The WSGI application with the page cache in front: a hit never reaches Django's handler.

    Building a request, sending the request signals and walking the middleware cost more than
    the page cache lookup itself; for an anonymous hit none of it is needed. A miss goes on to
    Django with the lookup's result, so PageCacheMiddleware does not repeat it.
    """

    def __init__(self, application):
        self.application = application
        self.request_is_cacheable = CacheableRequest()

    def __call__(self, environ, start_response):
        if page_cache_seconds() and self.request_is_cacheable(environ):
            where = entry_key(environ)
            if where.key is not None:
                version, entry, state = lookup(where, environ["REQUEST_METHOD"])
                if entry is not None:
                    return self.replay(environ, start_response, entry, state)
                environ[LOOKED_UP] = (where, version, state)
        return self.application(environ, start_response)

    def replay(self, environ, start_response, entry, state):
        status, headers, body = answer(entry, environ)
        headers.append((HEADER, state))
        start_response(status_line(status), headers)
        return [body]

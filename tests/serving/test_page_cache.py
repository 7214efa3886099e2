"""Whole pages for anonymous readers (serving/page_cache.py): answered from the cache, by Django's
middleware or by the WSGI layer in front of it; personal, admin and search responses never enter
the cache; each process keeps its own copy of the pages it served for the current content
version."""

import io
import sys
import time

import pytest
from django.core.cache import cache
from django.test import Client

from serving import content_version, page_cache
from serving.page_cache import LocalPages, PageCacheApplication
from serving.stored_pages import StoredPage
from tests import factories
from tests.serving.conftest import HIT, MISS, cached_twice

pytestmark = pytest.mark.usefixtures("page_cache")


# --- Django's middleware (PageCacheMiddleware) -------------------------------------------------


@pytest.mark.django_db
def test_second_anonymous_request_is_answered_from_cache_without_queries(
    client, site, django_assert_num_queries
):
    url = site["first"].url
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == (MISS, HIT)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_public_page_type_is_cached(client, site):
    for url in (
        "/",
        "/posts/",
        site["compilation"].url,
        site["first"].url,
        "/posts/?topic=caching",
    ):
        cached_twice(client, url)


@pytest.mark.django_db
def test_a_page_rendered_under_a_script_name_never_reaches_other_readers(client, site):
    url = site["first"].url
    assert client.get(url, SCRIPT_NAME="/evil")["X-Page-Cache"] == MISS

    plain = client.get(url)

    assert plain["X-Page-Cache"] == MISS
    assert "/evil/" not in plain.content.decode()


@pytest.mark.django_db
def test_an_empty_host_gets_400_even_when_the_page_is_cached(client, site):
    url = site["first"].url
    cached_twice(client, url)

    assert client.get(url, HTTP_HOST="").status_code == 400


@pytest.mark.django_db
def test_made_up_query_parameters_do_not_store_pages(client, site):
    url = site["first"].url
    for n in range(3):
        assert client.get(f"{url}?utm={n}").get("X-Page-Cache") is None

    assert client.get(url)["X-Page-Cache"] == MISS
    assert client.get(f"{url}?utm=9")["X-Page-Cache"] == HIT


@pytest.mark.django_db
def test_the_parameters_pages_read_still_key_their_own_entries(client, site):
    cached_twice(client, "/posts/?topic=caching")

    assert client.get("/posts/")["X-Page-Cache"] == MISS
    assert client.get("/posts/?utm=1&topic=caching")["X-Page-Cache"] == HIT


@pytest.mark.django_db
def test_one_client_stores_only_its_share_of_pages(client, site, settings):
    settings.PAGE_CACHE_STORES_PER_CLIENT = 2
    urls = [site["first"].url, site["second"].url, "/posts/"]
    for url in urls:
        client.get(url)

    assert [client.get(url).get("X-Page-Cache") for url in urls] == [HIT, HIT, None]
    other = Client(REMOTE_ADDR="10.0.0.2")
    other.get("/posts/")
    assert other.get("/posts/")["X-Page-Cache"] == HIT


@pytest.mark.django_db
def test_head_is_answered_from_cache_without_a_body(client, site):
    get = cached_twice(client, site["first"].url)

    head = client.head(site["first"].url)

    assert head["X-Page-Cache"] == HIT
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))


@pytest.mark.django_db
def test_logged_in_editor_is_never_served_or_stored(site, editor):
    anonymous, editor_client = Client(), Client()
    editor_client.force_login(editor)
    url = site["first"].url
    cached_twice(anonymous, url)

    for _ in range(2):
        response = editor_client.get(url)
        assert "X-Page-Cache" not in response
        assert "wagtail-userbar" in response.content.decode()
    # What the editor saw was not stored for anonymous readers either.
    assert "wagtail-userbar" not in anonymous.get(url).content.decode()


@pytest.mark.django_db
def test_request_with_a_csrf_cookie_bypasses_the_cache(client, site):
    url = site["first"].url
    cached_twice(client, url)
    client.cookies["csrftoken"] = "x" * 32

    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db
def test_request_with_a_pending_message_bypasses_the_cache(client, site):
    url = site["first"].url
    cached_twice(client, url)
    client.cookies["messages"] = "pending"

    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.django_db
def test_admin_pages_are_never_cached(client, site):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_search_with_a_query_is_never_cached_but_the_empty_form_is(client, site):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/search/?q=first")
    cached_twice(client, "/search/")


@pytest.mark.django_db
def test_not_found_pages_are_not_cached(client, site):
    for _ in range(2):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_page_cache_off_when_seconds_is_zero(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 0

    for _ in range(2):
        assert "X-Page-Cache" not in client.get(site["first"].url)


@pytest.mark.django_db
def test_unknown_host_gets_400_not_a_cached_page(client, site):
    cached_twice(client, site["first"].url)

    assert client.get(site["first"].url, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_the_admin_preview_is_never_cached(site, editor):
    admin = Client()
    admin.force_login(editor)
    preview = f"/admin/pages/{site['first'].pk}/edit/preview/"
    data = factories.post_form_data(site["topic"], title="Draft only title")
    admin.post(preview, data)

    for _ in range(2):
        response = admin.get(preview)
        assert "Draft only title" in response.content.decode()
        assert "X-Page-Cache" not in response
    assert "Draft only title" not in Client().get(site["first"].url).content.decode()


# --- Each process's own copy (LocalPages) ------------------------------------------------------
# A hit reads only the content version from the shared cache. A publish on another host reaching a
# page held here: tests/serving/test_content_version.py.


def entry(version, body=b"x" * 10):
    headers = (("Content-Type", "text/html"), ("ETag", '"tag"'), ("Content-Length", "10"))
    return StoredPage(version, 200, body, None, '"tag"', 0, headers, None, ())


def test_a_page_is_kept_for_its_version_only():
    pages = LocalPages(max_bytes=1000)
    pages.put("a", entry("v1"), seconds=60)

    assert pages.get("a", "v1") == entry("v1")
    assert pages.get("a", "v2") is None
    # The new version emptied the store: the old page is gone even if asked for again.
    assert pages.get("a", "v1") is None


def test_least_recently_used_pages_go_first_when_over_the_byte_budget():
    pages = LocalPages(max_bytes=25)
    pages.put("a", entry("v"), seconds=60)
    pages.put("b", entry("v"), seconds=60)
    pages.get("a", "v")  # a is now the most recently used
    pages.put("c", entry("v"), seconds=60)

    assert pages.get("a", "v") is not None
    assert pages.get("b", "v") is None
    assert pages.get("c", "v") is not None
    assert pages.size == 20


def test_a_page_larger_than_the_budget_is_not_kept():
    pages = LocalPages(max_bytes=5)
    pages.put("a", entry("v"), seconds=60)

    assert pages.get("a", "v") is None
    assert pages.size == 0


def test_a_page_expires_like_its_shared_copy(monkeypatch):
    pages = LocalPages(max_bytes=1000)
    pages.put("a", entry("v"), seconds=300)
    later = time.monotonic() + 301
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)

    assert pages.get("a", "v") is None
    assert pages.size == 0


@pytest.fixture
def post(index, settings):
    settings.PAGE_CACHE_SECONDS = 300
    return factories.make_post(index, title="Local post")


@pytest.fixture
def reads(monkeypatch):
    """Every key read from the shared cache."""
    keys = []
    original = cache.get

    def get(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return keys


@pytest.mark.django_db
def test_a_hit_reads_only_the_version_from_the_shared_cache(client, post, reads):
    client.get(post.url)
    reads.clear()

    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert not any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)


@pytest.mark.django_db
def test_a_page_stored_by_another_worker_is_read_from_the_shared_cache(client, post, reads):
    client.get(post.url)
    page_cache.local_pages._reset(None)  # this process has not served it
    reads.clear()

    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)
    reads.clear()
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert not any(key.startswith(page_cache.ENTRY_PREFIX) for key in reads)


@pytest.mark.django_db
def test_a_publish_makes_the_local_copy_stale_at_once(client, post):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"

    post.title = "Local post, revised"
    factories.publish(post)

    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Local post, revised" in response.content.decode()


@pytest.mark.django_db
def test_a_request_reads_the_content_version_once(client, post, monkeypatch):
    reads = []
    current = content_version.current

    def counted():
        reads.append(1)
        return current()

    monkeypatch.setattr(content_version, "current", counted)

    assert client.get(post.url)["X-Page-Cache"] == "miss"
    # The page cache's lookup; the route cache and the post's fragments reuse what it read.
    assert len(reads) == 1


# --- The WSGI layer in front of Django (PageCacheApplication) ----------------------------------
# A page is first rendered and stored through Django (the test client); the layer is then called
# as gunicorn calls it, with an application behind it that records whether it was reached.


class Behind:
    """Stands for Django's handler: answers 200 "from django" and counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from django"]


def call(app, path, method="GET", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        names = [name.lower() for name, _ in headers]
        assert len(names) == len(set(names)), f"a header is sent twice: {names}"
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def stored(client, index, settings):
    """A post whose page the site has rendered once for an anonymous reader, and its HTML."""
    settings.PAGE_CACHE_SECONDS = 300
    post = factories.make_post(index, title="Served early")
    response = client.get(post.url, HTTP_HOST="localhost")
    assert response["X-Page-Cache"] == "miss"
    return post, response


@pytest.mark.django_db
def test_a_stored_page_is_answered_without_reaching_django(stored):
    post, rendered = stored
    behind = Behind()

    status, headers, body = call(PageCacheApplication(behind), post.url)

    assert behind.calls == 0
    assert status == "200 OK"
    assert body == rendered.content
    assert headers["X-Page-Cache"] == "hit"
    assert headers["Content-Length"] == str(len(rendered.content))
    assert headers["Content-Security-Policy"] == rendered["Content-Security-Policy"]


@pytest.mark.django_db
def test_head_gets_headers_only(stored):
    post, rendered = stored

    _, headers, body = call(PageCacheApplication(Behind()), post.url, method="HEAD")

    assert body == b""
    assert headers["Content-Length"] == str(len(rendered.content))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "csrftoken=abc; theme=dark"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"HTTP_HOST": "evil.example"},
        {"wsgi.url_scheme": "https"},
        {"REQUEST_METHOD": "POST"},
        {"QUERY_STRING": "page=2"},
    ],
)
def test_anything_personal_or_different_goes_on_to_django(stored, extra):
    post, _ = stored
    behind = Behind()

    _, _, body = call(PageCacheApplication(behind), post.url, **extra)

    assert behind.calls == 1
    assert body == b"from django"


@pytest.mark.django_db
def test_an_empty_host_is_left_to_django_which_refuses_it(stored, client):
    post, _ = stored
    # Stored under the host that a request without one falls back to (server name and port).
    assert client.get(post.url, HTTP_HOST="localhost:80")["X-Page-Cache"] == "miss"
    behind = Behind()

    call(PageCacheApplication(behind), post.url, HTTP_HOST="")

    assert behind.calls == 1


@pytest.mark.django_db
def test_a_script_name_from_a_proxy_is_never_answered_with_the_plain_page(stored):
    post, _ = stored
    behind = Behind()

    call(PageCacheApplication(behind), post.url, SCRIPT_NAME="/evil")

    assert behind.calls == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"QUERY_STRING": "utm_source=mail"},
        {"QUERY_STRING": "utm=1&fbclid=abc"},
        {"HTTP_HOST": "LocalHost"},
        {"HTTP_HOST": "localhost."},
    ],
)
def test_other_spellings_of_the_same_page_get_its_cached_copy(stored, extra):
    post, rendered = stored
    behind = Behind()

    _, _, body = call(PageCacheApplication(behind), post.url, **extra)

    assert behind.calls == 0
    assert body == rendered.content


@pytest.mark.django_db
def test_an_unrelated_cookie_still_gets_the_cached_page(stored):
    post, rendered = stored

    _, _, body = call(PageCacheApplication(Behind()), post.url, HTTP_COOKIE="theme=dark")

    assert body == rendered.content


@pytest.mark.django_db
def test_publishing_makes_the_layer_pass_the_request_on(stored):
    post, _ = stored
    behind = Behind()
    post.title = "Served early, revised"
    factories.publish(post)

    call(PageCacheApplication(behind), post.url)

    assert behind.calls == 1


@pytest.mark.django_db
def test_the_layer_is_off_when_the_page_cache_is(stored, settings):
    post, _ = stored
    settings.PAGE_CACHE_SECONDS = 0
    behind = Behind()

    call(PageCacheApplication(behind), post.url)

    assert behind.calls == 1


@pytest.mark.django_db
def test_replacing_a_page_after_a_publish_does_not_count_against_the_clients_share(
    client, site, settings
):
    # Each publish makes every page stale; re-storing them adds nothing to what the cache holds.
    settings.PAGE_CACHE_STORES_PER_CLIENT = 1
    settings.PAGE_CACHE_STALE_SECONDS = 0
    url = site["first"].url
    cached_twice(client, url)
    for n in range(3):
        factories.publish(site["second"])
        assert client.get(url)["X-Page-Cache"] == "miss", n
        assert client.get(url)["X-Page-Cache"] == "hit", n

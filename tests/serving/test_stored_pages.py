"""Cached pages as HTTP sends them (serving/stored_pages.py): a gzip copy for clients that accept
it, validators that let a revalidation be answered 304 without a render, Cache-Control for
browsers and shared caches; through Django's middleware and the WSGI layer in front of it."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils.http import http_date

from serving.page_cache import PageCacheApplication
from serving.stored_pages import accepts_gzip, answer, build
from tests.serving.conftest import HIT, MISS, cached_twice
from tests.serving.test_page_cache import Behind, call

pytestmark = pytest.mark.usefixtures("page_cache")

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.django_db
def test_a_client_that_accepts_gzip_gets_the_compressed_page_on_miss_and_hit(client, site):
    url = site["compilation"].url
    plain = Client().get(url)  # stored here, answered uncompressed
    first, second = client.get(url, **GZIP), client.get(url, **GZIP)

    assert (plain["X-Page-Cache"], first["X-Page-Cache"], second["X-Page-Cache"]) == (
        MISS,
        HIT,
        HIT,
    )
    assert "Content-Encoding" not in plain
    assert second["Content-Encoding"] == "gzip"
    assert gzip.decompress(second.content) == plain.content
    assert int(second["Content-Length"]) == len(second.content) < len(plain.content) / 3
    assert "Accept-Encoding" in second["Vary"] and "Cookie" in second["Vary"]


@pytest.mark.django_db
def test_the_first_reader_gets_the_compressed_page_too(client, site):
    first = client.get(site["first"].url, **GZIP)

    assert first["X-Page-Cache"] == MISS
    assert first["Content-Encoding"] == "gzip"
    assert b"First post" in gzip.decompress(first.content)


@pytest.mark.django_db
def test_cached_pages_carry_validators_and_cache_control_for_browsers_and_cdns(
    client, site, settings
):
    settings.PAGE_CACHE_BROWSER_SECONDS = 45
    page = cached_twice(client, site["first"].url)

    assert page["Cache-Control"] == "public, max-age=45, s-maxage=300"
    assert page["ETag"].startswith('"') and page["ETag"].endswith('"')
    assert page["Last-Modified"].endswith("GMT")


@pytest.mark.django_db
def test_a_revalidation_with_the_etag_is_answered_304_without_queries(
    client, site, django_assert_num_queries
):
    url = site["first"].url
    etag = cached_twice(client, url)["ETag"]

    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "max-age" in again["Cache-Control"]


@pytest.mark.django_db
def test_the_compressed_copy_has_its_own_etag_and_either_revalidates(client, site):
    url = site["first"].url
    plain = cached_twice(client, url)
    compressed = client.get(url, **GZIP)

    assert compressed["ETag"] != plain["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=compressed["ETag"], **GZIP).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", {plain["ETag"]}').status_code == 304


@pytest.mark.django_db
def test_a_stale_etag_or_an_older_date_gets_the_whole_page(client, site):
    url = site["first"].url
    page = cached_twice(client, url)

    assert client.get(url, HTTP_IF_NONE_MATCH='"not-this-page"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]).status_code == 304
    # A date that cannot be read is ignored, not an error.
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="yesterday-ish").status_code == 200


@pytest.mark.django_db
def test_a_publish_makes_the_old_etag_stale(client, site):
    url = site["first"].url
    etag = cached_twice(client, url)["ETag"]
    post = site["first"]
    post.title = "First post, revised"
    post.save_revision().publish()

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 200
    assert "First post, revised" in again.content.decode()


@pytest.mark.django_db
def test_signed_in_readers_get_no_shared_cache_headers(client, site, admin_user):
    client.force_login(admin_user)

    response = client.get(site["first"].url, **GZIP)

    assert "public" not in response.get("Cache-Control", "")
    assert "Content-Encoding" not in response
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_the_wsgi_layer_answers_compressed_and_304_without_reaching_django(client, index):
    from tests import factories

    post = factories.make_post(index, title="Served early")
    rendered = client.get(post.url, HTTP_HOST="localhost")
    behind = Behind()
    app = PageCacheApplication(behind)

    status, headers, body = call(app, post.url, HTTP_ACCEPT_ENCODING="gzip")
    revalidated = call(app, post.url, HTTP_IF_NONE_MATCH=rendered["ETag"])

    assert behind.calls == 0
    assert status == "200 OK" and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == rendered.content
    assert revalidated[0] == "304 Not Modified" and revalidated[2] == b""


# --- The entry itself ----------------------------------------------------------------------------


def test_a_view_that_sets_its_own_cache_control_and_etag_keeps_them():
    response = HttpResponse(b"{}" * 200, content_type="application/json")
    response["Cache-Control"] = "max-age=10"
    response["ETag"] = '"mine"'

    entry = build("v1", response, 1_700_000_000)
    _, headers, _ = answer(entry, {"REQUEST_METHOD": "GET"})

    assert dict(headers)["Cache-Control"] == "max-age=10"
    assert dict(headers)["ETag"] == '"mine"'


def test_small_or_binary_bodies_are_not_compressed():
    small = build("v1", HttpResponse(b"tiny", content_type="text/html"), 0)
    image = build("v1", HttpResponse(b"\x89PNG" * 500, content_type="image/png"), 0)

    assert small.gzipped is None and image.gzipped is None
    _, headers, _ = answer(image, {"REQUEST_METHOD": "GET", "HTTP_ACCEPT_ENCODING": "gzip"})
    assert "Content-Encoding" not in dict(headers)
    assert "Vary" not in dict(headers)


def test_the_same_page_always_compresses_to_the_same_bytes_and_tag():
    def stored():
        return build("v1", HttpResponse(b"<p>same</p>" * 100, content_type="text/html"), 0)

    first, second = stored(), stored()

    assert first.gzipped == second.gzipped
    assert first.etag == second.etag


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("br, *", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip;q=zero", False),
        ("identity", False),
        ("", False),
        ("x-gzip-ish", False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header, accepted):
    assert accepts_gzip(header) is accepted

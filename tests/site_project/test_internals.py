"""The private internals listed in site_project/internals.py still exist in the installed
packages, and the packages are the versions the list was checked against."""

import importlib.metadata
import inspect

import pytest
import redis
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.http import HttpRequest
from django.http.response import ResponseHeaders
from rest_framework.request import Request
from wagtail.models import Page, Site

from site_project.internals import CHECKED_VERSIONS, INTERNALS


@pytest.mark.parametrize("package", sorted(CHECKED_VERSIONS))
def test_installed_version_is_the_one_the_internals_were_checked_against(package):
    installed = importlib.metadata.version(package)
    assert installed == CHECKED_VERSIONS[package], (
        f"{package} {installed} is installed; site_project/internals.py was checked against "
        f"{CHECKED_VERSIONS[package]}. Check each entry there, then update CHECKED_VERSIONS."
    )


def test_response_headers_keep_their_store():
    headers = ResponseHeaders({"Content-Type": "text/html"})
    assert headers._store == {"content-type": ("Content-Type", "text/html")}


def test_request_reads_its_raw_host():
    request = HttpRequest()
    request.META = {"HTTP_HOST": "example.org:8080"}
    assert request._get_raw_host() == "example.org:8080"


def test_sitemap_builds_urls_in_underscore_urls():
    assert callable(Sitemap._urls)


def test_queryset_chains_and_query_masks_annotations():
    assert callable(QuerySet._chain)
    assert callable(Query.set_annotation_mask)
    assert hasattr(Query(None), "annotation_select")


def test_wagtail_memoises_site_and_route_on_the_request():
    assert "_wagtail_site" in inspect.getsource(Site.find_for_request)
    assert "_wagtail_route_for_request" in inspect.getsource(Page.route_for_request)


def test_pages_memoise_their_parent():
    assert "_cached_parent_obj" in inspect.getsource(Page.get_parent)


def test_redis_resp3_parser_takes_an_invalidation_handler():
    client = redis.Redis(protocol=3, single_connection_client=True)
    assert callable(client.connection._parser.set_invalidation_push_handler)


def test_rest_framework_requests_wrap_the_django_request():
    django_request = HttpRequest()
    assert Request(django_request)._request is django_request


def test_every_internal_names_where_and_why():
    for name, where, why in INTERNALS:
        assert name and where.endswith(".py") and why.endswith(".")

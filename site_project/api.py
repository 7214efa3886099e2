"""The read-only API (Wagtail API v2) at /api/v2/: live public pages, images and documents.

Answers carry Cache-Control (API_CACHE_SECONDS), and other origins may read them from the
browser only when API_CORS_ALLOWED_ORIGINS names them (ApiCorsMiddleware: a dozen lines for a
read-only API, where django-cors-headers would be a dependency for the same two headers).

JSON only: Wagtail's viewsets add DRF's browsable HTML renderer whenever rest_framework is
installed, whatever REST_FRAMEWORK says, and that renderer's forms set a CSRF cookie. Each
endpoint here renders JSON and nothing else (`?format=api` is a 404, like any unknown format).
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from blog.models import CompilationSectionPage
from search.text import parse_query

SEARCH_OPERATORS = ("and", "or")
API_PREFIX = "/api/"
PREFLIGHT_MAX_AGE = 60 * 60 * 24


class ApiCorsMiddleware:
    """Cross-origin reads of the API from the origins API_CORS_ALLOWED_ORIGINS names.

    An allowed origin gets Access-Control-Allow-Origin on every API answer, and its preflight
    (OPTIONS with Access-Control-Request-Method) a 204 that allows GET and HEAD; anyone else
    gets no CORS header, so browsers keep other sites' scripts out. With any origin allowed,
    API answers vary by Origin (and so are not kept by the page cache, which stores answers
    that vary by nothing but the cookie). Off, it passes every request straight through.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.origins = frozenset(settings.API_CORS_ALLOWED_ORIGINS)

    def __call__(self, request):
        if not self.origins or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin", "")
        allowed = origin in self.origins
        preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in (
            request.headers
        )
        if allowed and preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Origin"])
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
        return response


class CleanSearchFilter(SearchFilter):
    """Wagtail's `?search=`, with the query cleaned as the site's own search cleans it.

    The raw text would reach the database's full-text parser (SQLite FTS5 fails on a lone `"`);
    only the words of the query do, and a query without any word is a JSON 400.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET:
            query = parse_query(request.GET["search"])
            if not query:
                raise BadRequestError("search needs at least one word")
            operator = request.GET.get("search_operator")
            if operator is not None and operator not in SEARCH_OPERATORS:
                raise BadRequestError("search_operator must be 'and' or 'or'")
            cleaned = request.GET.copy()
            cleaned["search"] = query.text
            request._request.GET = cleaned
        return super().filter_queryset(request, queryset, view)


class CacheControlled:
    """Answers may be kept API_CACHE_SECONDS (content changes only on publish); errors not."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
        else:
            response["Cache-Control"] = "no-cache"
        return response


class PagesWithLocales(PagesAPIViewSet):
    """Wagtail's pages endpoint, with each page's locale (a field of every listed page, and
    `?locale=fr` its filter) read in the same query as the pages, not one query per page.
    A compilation's sections are not pages of their own to readers; they read them in its body."""

    def get_queryset(self):
        return super().get_queryset().not_type(CompilationSectionPage).select_related("locale")


def json_only_with_clean_search(viewset):
    """`viewset` rendering JSON only, with its search filter replaced by CleanSearchFilter and
    Cache-Control on its answers."""
    backends = [
        CleanSearchFilter if backend is SearchFilter else backend
        for backend in viewset.filter_backends
    ]
    return type(
        viewset.__name__,
        (CacheControlled, viewset),
        {"filter_backends": backends, "renderer_classes": [JSONRenderer]},
    )


api_router = WagtailAPIRouter("wagtailapi")
# Wagtail's endpoints only answer GET/HEAD/OPTIONS; pages are filtered to live, public ones.
api_router.register_endpoint("pages", json_only_with_clean_search(PagesWithLocales))
api_router.register_endpoint("images", json_only_with_clean_search(ImagesAPIViewSet))
api_router.register_endpoint("documents", json_only_with_clean_search(DocumentsAPIViewSet))

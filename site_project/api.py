"""The read-only API (Wagtail API v2) at /api/v2/: live public pages, images and documents.

JSON only: Wagtail's viewsets add DRF's browsable HTML renderer whenever rest_framework is
installed, whatever REST_FRAMEWORK says, and that renderer's forms set a CSRF cookie. Each
endpoint here renders JSON and nothing else (`?format=api` is a 404, like any unknown format).
"""

from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from search.text import parse_query

SEARCH_OPERATORS = ("and", "or")


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


def json_only_with_clean_search(viewset):
    """`viewset` rendering JSON only, with its search filter replaced by CleanSearchFilter."""
    backends = [
        CleanSearchFilter if backend is SearchFilter else backend
        for backend in viewset.filter_backends
    ]
    return type(
        viewset.__name__,
        (viewset,),
        {"filter_backends": backends, "renderer_classes": [JSONRenderer]},
    )


api_router = WagtailAPIRouter("wagtailapi")
# Wagtail's endpoints only answer GET/HEAD/OPTIONS; pages are filtered to live, public ones.
api_router.register_endpoint("pages", json_only_with_clean_search(PagesAPIViewSet))
api_router.register_endpoint("images", json_only_with_clean_search(ImagesAPIViewSet))
api_router.register_endpoint("documents", json_only_with_clean_search(DocumentsAPIViewSet))

"""Resolved page routes, cached per content version, so a page costs one query to find.

Wagtail finds a page by looking up the site, its root page and every page along the path, then
checks view restrictions on each ancestor: five to seven queries before the page's own work. The
result depends only on published content, so it is kept under the content version: the next
request for the same host and path fetches the page itself by primary key and nothing else.
Routes with extra arguments (routable pages) and pages behind a view restriction are never kept.
"""

from django.apps import apps
from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction

from . import content_version

ROUTE_SECONDS = content_version.DERIVED_SECONDS


def route_key(request, path, version):
    hostname = split_domain_port(request._get_raw_host())[0]
    # `path` is what follows the language prefix: /fr/x/ and /x/ are different pages.
    language = translation.get_language()
    name = f"route:{hostname}:{request.get_port()}:{language}:{path}"
    return content_version.versioned_key(name, version)


class RouteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_serving_route_key", None)
        if key is not None and response.status_code == 200:
            self.remember(request, key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
            return None
        version = content_version.for_request(request)
        if version is None:
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        key = route_key(request, path, version)
        entry = cache.get(key)
        if entry is None or not self.replay(request, entry):
            request._serving_route_key = key
        return None

    def replay(self, request, entry):
        model = apps.get_model(entry["model"])
        # Unordered and sliced by hand: .first() would add an ORDER BY, whose compiling is a
        # fair share of this query's cost, to a lookup by primary key.
        pages = model._default_manager.filter(pk=entry["page_id"], live=True).order_by()[:1]
        page = next(iter(pages), None)
        if page is None or page.url_path != entry["url_path"]:
            return False
        # The route was stored only for a page with no view restriction on it or its ancestors;
        # adding one changes the content version, so this entry is gone by then.
        page.get_view_restrictions = PageViewRestriction.objects.none
        request._wagtail_site = entry["site"]
        request._wagtail_route_for_request = (page, (), {})
        return True

    def remember(self, request, key):
        route = getattr(request, "_wagtail_route_for_request", None)
        site = getattr(request, "_wagtail_site", None)
        if not route or site is None:
            return
        page, args, kwargs = route
        if args or kwargs or page.get_view_restrictions().exists():
            return
        entry = {
            "site": site,
            "page_id": page.pk,
            "model": page._meta.label_lower,
            "url_path": page.url_path,
        }
        cache.set(key, entry, ROUTE_SECONDS)

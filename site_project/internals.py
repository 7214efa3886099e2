"""The private internals of Django, Wagtail, treebeard and redis-py that this project relies on.

Each one is used because the public API has no equivalent, or costs measurably more on a hot
path. Any release may change them, so tests/site_project/test_internals.py checks that each still
exists and that the installed versions are the ones they were checked against: an upgrade of
one of these packages fails there first, with this list to review, and not in production.
"""

# The versions every entry below was last checked against (pinned in pyproject.toml).
CHECKED_VERSIONS = {
    "Django": "5.2.19",
    "wagtail": "8.0.1",
    "django-treebeard": "5.3.1",
    "modelsearch": "1.3.2",
    "redis": "8.1.0",
    "djangorestframework": "3.18.3",
}

# (the internal, where it is used, why)
INTERNALS = [
    (
        "django.http.response.ResponseHeaders._store",
        "serving/page_cache.py",
        "A cached page's headers are stored and put back as Django keeps them; setting them one "
        "by one validates each again, a third of a page-cache hit's cost.",
    ),
    (
        "django.http.HttpRequest._get_raw_host",
        "serving/routing.py",
        "The route cache keys on the host as sent; get_host() would validate it against "
        "ALLOWED_HOSTS a second time per request.",
    ),
    (
        "django.contrib.sitemaps.Sitemap._urls",
        "blog/sitemaps.py",
        "The topic archives' sitemap builds plain Django URLs inside Wagtail's sitemap class.",
    ),
    (
        "django.db.models.QuerySet._chain and Query.set_annotation_mask",
        "search/backends.py",
        "The search vector stays in WHERE but leaves the SELECT list (as .alias() would write "
        "it), which modelsearch's PostgreSQL compiler does not offer.",
    ),
    (
        "request._wagtail_site and request._wagtail_route_for_request",
        "serving/routing.py",
        "Wagtail memoises the request's site and route on these; the route cache sets them to "
        "replay a route it resolved before, so a page costs one query to find.",
    ),
    (
        "Page._cached_parent_obj (treebeard's memo of a node's parent)",
        "blog/models.py",
        "The post index sets it when it routes to a post, so breadcrumbs need no query.",
    ),
    (
        "rest_framework.request.Request._request",
        "site_project/api.py",
        "The API's search filter hands Wagtail's filter the cleaned query by replacing the "
        "underlying request's GET; Wagtail reads the query from there.",
    ),
    (
        "redis.Redis(...).connection._parser.set_invalidation_push_handler",
        "serving/tracked.py",
        "The content version is held per process with CLIENT TRACKING; the handler hears "
        "Redis's invalidation pushes on the tracking connection. redis-py's public client-side "
        "caching (cache_config) refuses servers older than Redis 7.4, and ours is 7.0 "
        "(serving/tracked.py).",
    ),
]

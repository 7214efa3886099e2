"""Site search: the results page and the as-you-type suggestions."""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query as LoggedQuery

from blog.models import all_topics, compilation_map, find_tag
from editorial.signin import client_ip
from serving import content_version

from . import results as search_results
from .models import MAX_LOGGED_CHARS, ZeroResultQuery
from .text import MAX_QUERY_CHARS, parse_query

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
SLUG_RE = re.compile(r"[-\w]+")
MAX_FILTER_CHARS = 100
RATE_WINDOW_SECONDS = 60


def retry_after(request, scope, limit, seconds=RATE_WINDOW_SECONDS):
    """Seconds until this client address may ask again, or 0 while it is within `limit`
    requests of `scope` in the current window of `seconds` (a minute unless told). Counted in
    the cache (each worker and host shares it with Redis); without a cache answer nobody is
    refused."""
    if not limit:
        return 0
    now = int(time.time())
    window = now // seconds
    key = f"rate:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired, evicted, or no cache
        return 0
    return (window + 1) * seconds - now if count > limit else 0


def too_many(response, seconds):
    response["Retry-After"] = str(max(seconds, 1))
    response["Cache-Control"] = "no-store"
    return response


def _filters(request, topics):
    """(topic, tag, notices) from the query string; unknown slugs are ignored with a notice."""
    notices = []
    topic_slug = parse_query(request.GET.get("topic", "")[:MAX_FILTER_CHARS]).raw
    tag_slug = parse_query(request.GET.get("tag", "")[:MAX_FILTER_CHARS]).raw
    topic = next((t for t in topics if t.slug == topic_slug), None)
    if topic_slug and topic is None:
        notices.append(f"There is no topic “{topic_slug}”, so results from every topic are shown.")
    # Only a well-formed slug reaches the database.
    tag = find_tag(tag_slug, request) if SLUG_RE.fullmatch(tag_slug) else None
    if tag_slug and tag is None:
        notices.append(f"There is no tag “{tag_slug}”, so results with any tag are shown.")
    return topic, tag, notices


def _log(query, found):
    """Count the search for the admin's "Search terms" report, and remember misses.

    A database that refuses writes (read-only, a replica) still answers searches: the log is
    left out, not the results.
    """
    text = query.text[:MAX_LOGGED_CHARS]
    try:
        with transaction.atomic():
            LoggedQuery.get(text).add_hit()
            if not found:
                ZeroResultQuery.record(text)
    except DatabaseError:
        logger.warning("Search log not written: the database refuses writes", exc_info=True)


def search(request):
    """The results page. For anonymous readers a page of results is rendered once per content
    version and query (SEARCH_RESULTS_SECONDS at most, as the search index follows a publish
    through the task worker a moment later); rate limits and the search log apply to every
    request."""
    query = parse_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", "relevance")
    if sort not in search_results.SORTS:
        sort = "relevance"
    group = request.GET.get("group") == "section"
    context = {
        "search_query": query.raw,
        "query": query,
        "sort": sort,
        "group": group,
        "results": None,
    }
    if not query:
        return render(request, "search/search.html", context)
    wait = retry_after(request, "search", settings.SEARCH_REQUESTS_PER_MINUTE)
    if wait:
        message = f"Too many searches from your address: try again in {wait} seconds.\n"
        return too_many(HttpResponse(message, status=429, content_type="text/plain"), wait)

    if not shared_results(request):
        html, total = _results_page(request, query, sort, group, context)
    else:
        html, total = content_version.cached(
            _results_key(request, query, sort, group),
            lambda: _results_page(request, query, sort, group, context),
            request=request,
            timeout=settings.SEARCH_RESULTS_SECONDS,
        )
    if request.GET.get("page") in (None, "", "1"):
        _log(query, total)
    return HttpResponse(html)


def shared_results(request):
    """True when the results page is the same for every reader: nobody signed in (the editor's
    bar), no flash message waiting, and caching on."""
    if not settings.SEARCH_RESULTS_SECONDS:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated) and "messages" not in request.COOKIES


def _results_key(request, query, sort, group):
    """The query as shown (it fills the search box), the filters and the page."""
    parts = [
        query.raw,
        sort,
        str(group),
        *(request.GET.get(name, "")[:MAX_FILTER_CHARS] for name in ("topic", "tag", "page")),
    ]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    # Results are worded and linked in the reader's language (the URL's).
    return f"search:results:{translation.get_language()}:{digest}"


def _results_page(request, query, sort, group, context):
    """(HTML, total results) of one page of results."""
    topics = all_topics(request)
    topic, tag, notices = _filters(request, topics)
    posts, topic_counts = search_results.search_posts(
        query, topic=topic, tag=tag, sort=sort, request=request
    )
    post_total = sum(topic_counts.values()) if topic is None else topic_counts.get(topic.pk, 0)
    paginator = Paginator(posts, RESULTS_PER_PAGE)
    paginator.count = post_total  # known from the topic counts: no second COUNT query
    page_obj = paginator.get_page(request.GET.get("page"))
    page_posts = search_results.full_posts(page_obj.object_list, request)
    for post in page_posts:
        post.snippet = search_results.post_snippet(post, query.terms)

    first_page = page_obj.number == 1
    filtered = topic is not None or tag is not None
    compilations = (
        search_results.compilation_hits(query, request) if first_page and not filtered else []
    )
    section_total = sum(len(hit.sections) or 1 for hit in compilations)
    promoted = search_results.promotions(query, request) if first_page else []
    total = post_total + section_total

    suggestion = ""
    if total == 0 and not filtered:
        suggestion = search_results.did_you_mean(query)

    groups = _group_by_section(page_posts, request) if group else None
    context.update(
        results=page_obj,
        posts=page_posts,
        post_total=post_total,
        section_total=section_total,
        total=total,
        compilations=compilations,
        promoted=promoted,
        topics=[(t, topic_counts.get(t.pk, 0)) for t in topics if topic_counts.get(t.pk)],
        topic=topic,
        tag=tag,
        notices=notices,
        did_you_mean=suggestion,
        groups=groups,
        max_query_chars=MAX_QUERY_CHARS,
    )
    return render(request, "search/search.html", context).content.decode(), total


def _group_by_section(posts, request):
    """The page's posts under the first compilation section that lists each, in page order."""
    featured_in, _ = compilation_map(request)
    groups = {}
    for post in posts:
        places = featured_in.get(post.pk) or [None]
        place = places[0]
        key = (place["page"].pk, place["anchor"]) if place else None
        if key not in groups:
            groups[key] = {"place": place, "posts": []}
        groups[key]["posts"].append(post)
    return sorted(groups.values(), key=lambda g: g["place"] is None)


def suggest(request):
    query = parse_query(request.GET.get("q", ""))
    found = []
    if len(query.text) >= 2:
        wait = retry_after(request, "suggest", settings.SUGGEST_REQUESTS_PER_MINUTE)
        if wait:
            refused = {"query": query.raw, "suggestions": [], "error": "too many requests"}
            return too_many(JsonResponse(refused, status=429), wait)
        found = [s.as_dict() for s in search_results.suggestions(query, request)]
    return JsonResponse({"query": query.raw, "suggestions": found})

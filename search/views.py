"""Site search: a cleaned query, live public pages only, paginated."""

import re
import unicodedata

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
RESULTS_PER_PAGE = 10
# Characters the full-text parsers treat as syntax; searching for them never helps a reader.
SYNTAX_RE = re.compile(r"[\"'&|!:*()<>\\^~{}\[\]@+=-]+")


def clean_query(raw):
    """Words a reader typed, without control characters or search syntax, within our limits."""
    text = "".join(
        ch if unicodedata.category(ch)[0] not in "C" else " " for ch in (raw or "")[:2000]
    )
    text = SYNTAX_RE.sub(" ", text)
    terms = text.split()[:MAX_TERMS]
    return " ".join(terms)[:MAX_QUERY_CHARS].strip()


def search(request):
    raw_query = request.GET.get("q", "")
    query = clean_query(raw_query)
    results = None
    if query:
        pages = Page.objects.live().public().specific().search(query)
        results = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "raw_query": raw_query.strip()[:MAX_QUERY_CHARS],
            "results": results,
        },
    )

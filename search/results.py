"""What the search page and the suggestion endpoint show, built with Wagtail's search framework.

Posts are ranked by the search backend (PostgreSQL full-text search or SQLite FTS5). The
compilation is one page whose sections and entries are shown as results of their own: its
sections are matched here, in Python, from the page's raw StreamField data (a site has a handful
of compilations, each read in one query).
"""

import difflib
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Lower
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from blog.models import CompilationPage, Topic, TopicPostPage, section_anchor

from .text import WORD_RE, highlight, matches, plain_markdown, stream_text

SORTS = ("relevance", "date")
MAX_SECTIONS = 5
MAX_ENTRIES_PER_SECTION = 3
MAX_SUGGESTIONS = 8
DID_YOU_MEAN_MIN_SIMILARITY = 0.3
MAX_DID_YOU_MEAN_TERMS = 3


def is_postgresql():
    return connection.vendor == "postgresql"


def visible(queryset, request=None):
    """Live pages outside view-restricted sections, like `.live().public()`, with the
    restrictions read once per request rather than once per queryset."""
    if request is None:
        return queryset.live().public()
    if not hasattr(request, "_search_private_q"):
        request._search_private_q = Page.objects.private_q()
    return queryset.live().exclude(request._search_private_q)


def post_queryset(request=None):
    """Live, public posts in the shape a result needs: topic joined, tags prefetched."""
    return (
        visible(TopicPostPage.objects.all(), request)
        .select_related("topic")
        .prefetch_related("tags")
    )


def search_posts(query, topic=None, tag=None, sort="relevance", request=None):
    """(results, counts per topic id) for the query; results are lazy SearchResults.

    The counts ignore the topic filter (so every topic shows what choosing it would give) but
    respect the tag filter.
    """
    posts = post_queryset(request)
    if tag is not None:
        posts = posts.filter(tags__slug=tag.slug)
    topic_counts = dict(posts.search(query.text).facet("topic_id"))
    if topic is not None:
        posts = posts.filter(topic_id=topic.pk)
    if sort == "date":
        results = posts.order_by("-date", "-id").search(query.text, order_by_relevance=False)
    else:
        results = posts.search(query.text)
    return results, topic_counts


@dataclass
class Entry:
    title: str
    source: str
    annotation: str
    snippet: str = ""


@dataclass
class SectionHit:
    heading: str
    anchor: str
    url: str
    snippet: str
    score: int
    entries: list = field(default_factory=list)


@dataclass
class CompilationHit:
    page: object
    url: str
    snippet: str
    sections: list


def _section_parts(value, post_titles):
    """(heading, text, entries) of one raw section, entries as Entry objects."""
    entries = []
    for entry in value.get("entries") or []:
        data = entry.get("value") or {}
        if entry.get("type") == "post":
            title = post_titles.get(data.get("page"))
            if title is None:  # unpublished, private or deleted: not shown, not searched
                continue
            entries.append(Entry(title, "Our post", data.get("annotation") or ""))
        else:
            entries.append(
                Entry(
                    data.get("title") or "", data.get("source") or "", data.get("annotation") or ""
                )
            )
    return value.get("heading") or "", plain_markdown(value.get("text") or ""), entries


def compilation_hits(query, request=None):
    """Live, public compilations matching every term, each with its matching sections."""
    compilations = list(visible(CompilationPage.objects.all(), request).order_by("path"))
    if not compilations:
        return []
    post_ids = {
        (entry.get("value") or {}).get("page")
        for compilation in compilations
        for section in compilation.body.raw_data
        for entry in (section.get("value") or {}).get("entries") or []
        if entry.get("type") == "post"
    }
    post_titles = dict(
        visible(TopicPostPage.objects.filter(pk__in=post_ids), request).values_list("pk", "title")
    )
    terms, needed = query.terms, len(query.terms)
    hits = []
    for compilation in compilations:
        url = compilation.get_url(request)
        sections = []
        for section in compilation.body.raw_data:
            if section.get("type") != "section":
                continue
            value = section.get("value") or {}
            heading, text, entries = _section_parts(value, post_titles)
            entry_texts = [f"{e.title} {e.source} {e.annotation}" for e in entries]
            if matches(terms, " ".join([heading, text, *entry_texts])) < needed:
                continue
            matched = []
            for entry, entry_text in zip(entries, entry_texts, strict=True):
                found = matches(terms, entry_text)
                if found:
                    entry.snippet = highlight(entry.annotation, terms)
                    entry.title = highlight(entry.title, terms, length=200)
                    matched.append((found, entry))
            matched.sort(key=lambda pair: -pair[0])
            anchor = section_anchor(value.get("heading"), value.get("anchor"))
            sections.append(
                SectionHit(
                    heading=highlight(heading, terms, length=200),
                    anchor=anchor,
                    url=f"{url}#{anchor}",
                    snippet=highlight(text, terms),
                    score=3 * matches(terms, heading) + len(matched) + matches(terms, text),
                    entries=[entry for _, entry in matched[:MAX_ENTRIES_PER_SECTION]],
                )
            )
        own_text = f"{compilation.title} {compilation.summary} {plain_markdown(compilation.intro)}"
        if not sections and matches(terms, own_text) < needed:
            continue
        sections.sort(key=lambda hit: -hit.score)
        summary = compilation.summary
        snippet_source = summary if matches(terms, summary) else plain_markdown(compilation.intro)
        hits.append(
            CompilationHit(
                page=compilation,
                url=url,
                snippet=highlight(snippet_source, terms) or summary,
                sections=sections[:MAX_SECTIONS],
            )
        )
    return hits


def post_snippet(post, terms):
    """The summary when it holds a matched word, else the first matching passage of the body."""
    if matches(terms, post.summary):
        return highlight(post.summary, terms)
    body = plain_markdown(stream_text(list(post.body.raw_data)))
    if matches(terms, body):
        return highlight(body, terms)
    return highlight(post.summary, terms)


def promotions(query, request=None):
    """Editors' promoted results for this query: external links, or live public pages."""
    picks = list(
        SearchPromotion.objects.filter(
            query__query_string=normalise_query_string(query.text)
        ).select_related("page")
    )
    page_ids = [pick.page_id for pick in picks if pick.page_id]
    shown = set()
    if page_ids:
        shown = set(
            visible(Page.objects.filter(pk__in=page_ids), request).values_list("pk", flat=True)
        )
    return [pick for pick in picks if pick.page_id is None or pick.page_id in shown]


def _vocabulary_candidates(term):
    """Words from live public titles, tags and topics that look like `term`, best first."""
    if is_postgresql():
        texts = (
            Page.objects.live()
            .public()
            .annotate(text=F("title"), similarity=TrigramWordSimilarity(Value(term), "title"))
            .filter(similarity__gte=DID_YOU_MEAN_MIN_SIMILARITY)
            .values_list("text", "similarity")
            .union(
                Tag.objects.annotate(
                    text=F("name"), similarity=TrigramWordSimilarity(Value(term), "name")
                )
                .filter(similarity__gte=DID_YOU_MEAN_MIN_SIMILARITY)
                .values_list("text", "similarity"),
                Topic.objects.annotate(
                    text=F("name"), similarity=TrigramWordSimilarity(Value(term), "name")
                )
                .filter(similarity__gte=DID_YOU_MEAN_MIN_SIMILARITY)
                .values_list("text", "similarity"),
            )
            .order_by("-similarity")[:10]
        )
        words = {word.lower() for text, _ in texts for word in WORD_RE.findall(text)}
        return difflib.get_close_matches(term, sorted(words), n=1, cutoff=0.6)
    words = set()
    sources = [
        Page.objects.live().public().annotate(text=Lower("title")).values_list("text", flat=True),
        Tag.objects.annotate(text=Lower("name")).values_list("text", flat=True),
        Topic.objects.annotate(text=Lower("name")).values_list("text", flat=True),
    ]
    for source in sources:
        for text in source:
            words.update(WORD_RE.findall(text))
    return difflib.get_close_matches(term, sorted(words), n=1, cutoff=0.7)


def did_you_mean(query):
    """A corrected query string, or "" when no term has a close known word.

    Trigram similarity (pg_trgm) picks the titles, tags and topics holding a similar word on
    PostgreSQL; difflib compares against the same words on SQLite.
    """
    if len(query.terms) > MAX_DID_YOU_MEAN_TERMS:
        return ""  # a long query is rarely a typo, and each term costs a scan of the titles
    corrected, changed = [], False
    for term in query.terms:
        if len(term) < 3 or term.isdigit():
            corrected.append(term)
            continue
        best = _vocabulary_candidates(term)
        if best and best[0] != term:
            corrected.append(best[0])
            changed = True
        else:
            corrected.append(term)
    return " ".join(corrected) if changed else ""


@dataclass
class Suggestion:
    title: str
    url: str
    type: str

    def as_dict(self):
        return {"title": self.title, "url": self.url, "type": self.type}


def suggestions(query, request=None):
    """Titles that start with what the reader has typed so far: posts, compilations, sections,
    topics; at most MAX_SUGGESTIONS."""
    found = []
    posts = (
        visible(TopicPostPage.objects.all(), request)
        .defer_streamfields()
        .autocomplete(query.text)[:MAX_SUGGESTIONS]
    )
    found += [Suggestion(post.title, post.get_url(request), "Post") for post in posts]
    stems = query.terms
    for compilation in visible(CompilationPage.objects.all(), request).order_by("path"):
        url = compilation.get_url(request)
        if _starts_words(compilation.title, stems):
            found.insert(0, Suggestion(compilation.title, url, "Compilation"))
        for section in compilation.body.raw_data:
            value = section.get("value") or {}
            heading = value.get("heading") or ""
            if section.get("type") == "section" and _starts_words(heading, stems):
                anchor = section_anchor(heading, value.get("anchor"))
                found.append(Suggestion(heading, f"{url}#{anchor}", "Section"))
    for topic in Topic.objects.all():
        if _starts_words(topic.name, stems):
            found.append(Suggestion(topic.name, f"/posts/?topic={topic.slug}", "Topic"))
    return found[:MAX_SUGGESTIONS]


def _starts_words(text, terms):
    """True when every term starts some word of the text (the last one may be unfinished)."""
    words = [word.lower() for word in WORD_RE.findall(text)]
    return bool(terms) and all(any(word.startswith(term) for word in words) for term in terms)

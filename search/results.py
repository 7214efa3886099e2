"""What the search page and the suggestion endpoint show, built with Wagtail's search framework.

Posts are ranked by the search backend (PostgreSQL full-text search or SQLite FTS5). The
compilation is one page whose sections and entries are shown as results of their own: its
sections are matched here, in Python, against an index of their words built from the pages' raw
StreamField data once per content version (a site has a handful of compilations). Suggestions
are matched the same way, in memory, against candidates read once per content version.
"""

import bisect
import difflib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from blog import outline
from blog.fragments import light_page
from blog.models import (
    CompilationPage,
    Topic,
    TopicPostPage,
    TopicPostTag,
    in_reader_language,
    readable_tags,
    snippet_translations,
    topics_in_reader_language,
)
from serving import content_version

from .text import WORD_RE, highlight, matches, plain_markdown, stem, stems_of, stream_text

SORTS = ("relevance", "date")
MAX_SECTIONS = 5
MAX_ENTRIES_PER_SECTION = 3
MAX_SUGGESTIONS = 8
# "Did you mean": candidates share at least this share of trigrams with the typed term (pg_trgm's
# similarity), and the one chosen is at least this close by difflib's ratio.
DID_YOU_MEAN_MIN_SIMILARITY = 0.3
DID_YOU_MEAN_MIN_RATIO = 0.7
MAX_DID_YOU_MEAN_TERMS = 3


def visible(queryset, request=None):
    """Live pages outside view-restricted sections, like `.live().public()`, with the
    restrictions read once per request rather than once per queryset."""
    if request is None:
        return queryset.live().public()
    if not hasattr(request, "_search_private_q"):
        request._search_private_q = Page.objects.private_q()
    return queryset.live().exclude(request._search_private_q)


def post_queryset(request=None):
    """Live, public posts in the shape a result needs, with their topic joined."""
    return visible(TopicPostPage.objects.all(), request).select_related("topic")


def search_posts(query, topic=None, tag=None, sort="relevance", request=None):
    """(matches, counts per topic id) for the query.

    `matches` holds every matching post's id in rank (or date) order with the topic filter
    applied; `full_posts` then reads the one page of them that is shown. The counts ignore the
    topic filter (so every topic shows what choosing it would give) but respect the tag filter.

    On the database backends one query gives both: each match's id and topic, ranked, with no
    other column (ranking thousands of matches is cheaper when a row carries only its id, and
    counting them again for the topics would match every row a second time). A search server
    (OpenSearch/Elasticsearch) counts with an aggregation and pages lazily instead.
    """
    posts = visible(TopicPostPage.objects.all(), request)
    if _database_backend():
        # Each post once, in the reader's language when it has a version there. (A search
        # server filters on indexed fields only; there both versions may show.)
        posts = posts.in_reader_language()
    if tag is not None:
        posts = posts.filter(tags__slug=tag.slug)
    posts = posts.only("pk", "topic_id")

    def ranked(posts):
        if sort == "date":
            return posts.order_by("-date", "-id").search(query.text, order_by_relevance=False)
        return posts.search(query.text)

    found = ranked(posts)
    if not _rows_in_one_query(found):
        topic_counts = dict(posts.search(query.text).facet("topic_id"))
        return (ranked(posts.filter(topic_id=topic.pk)) if topic else found), topic_counts
    rows = found.get_queryset().values_list("pk", "topic_id")
    topic_counts = Counter(topic_id for _, topic_id in rows)
    return [pk for pk, topic_id in rows if topic is None or topic_id == topic.pk], topic_counts


def _database_backend():
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return backend.startswith(("search.backends", "modelsearch.backends.database"))


def _rows_in_one_query(found):
    """True for the database backends, whose results are a Django queryset underneath."""
    return hasattr(found, "get_queryset")


def full_posts(matches, request=None):
    """The posts of one page of matches (ids, or bare posts from a search server) in the same
    order, shaped for showing: topic joined, tags read in one query."""
    ids = [getattr(match, "pk", match) for match in matches]
    found = post_queryset(request).in_bulk(ids)
    posts = [found[pk] for pk in ids if pk in found]
    tags = {}
    for item in TopicPostTag.objects.filter(content_object_id__in=ids).select_related("tag"):
        tags.setdefault(item.content_object_id, []).append(item.tag)
    for post in posts:
        post.tag_list = sorted(tags.get(post.pk, []), key=lambda tag: tag.name)
    return topics_in_reader_language(posts, request)


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


# The compilations as search reads them, built once per content version: plain text and the
# stems of every word, so that a query is matched with set lookups and no database query.
@dataclass(frozen=True)
class IndexedEntry:
    title: str
    source: str
    annotation: str
    stems: frozenset


@dataclass(frozen=True)
class IndexedSection:
    heading: str
    anchor: str
    text: str
    entries: tuple
    heading_stems: frozenset
    text_stems: frozenset
    stems: frozenset  # heading, text and every entry


@dataclass(frozen=True)
class IndexedCompilation:
    page: object  # a light Page: id, title, url_path, depth
    summary: str
    intro: str
    summary_stems: frozenset
    own_stems: frozenset  # title, summary and intro
    sections: tuple
    language: str = ""
    translation_key: str = ""


def _indexed_entries(section, post_titles):
    entries = []
    for entry in section.entries:
        if entry.kind == "post":
            title = post_titles.get(entry.page_id)
            if title is None:  # unpublished, private or deleted: not shown, not searched
                continue
            source = "Our post"
        else:
            title, source = entry.title, entry.source
        annotation = entry.annotation
        entries.append(
            IndexedEntry(title, source, annotation, stems_of(f"{title} {source} {annotation}"))
        )
    return tuple(entries)


def _build_compilation_index():
    compilations = [
        (compilation, list(outline.sections(compilation.body.raw_data)))
        for compilation in CompilationPage.objects.readable()
        .select_related("locale")
        .order_by("path")
    ]
    post_ids = {
        post_id
        for _compilation, sections in compilations
        for section in sections
        for post_id in section.post_ids()
    }
    post_titles = dict(
        TopicPostPage.objects.readable().filter(pk__in=post_ids).values_list("pk", "title")
    )
    indexed = []
    for compilation, outlined in compilations:
        sections = []
        for section in outlined:
            heading = section.heading
            text = plain_markdown(section.text)
            entries = _indexed_entries(section, post_titles)
            heading_stems, text_stems = stems_of(heading), stems_of(text)
            sections.append(
                IndexedSection(
                    heading=heading,
                    anchor=section.anchor,
                    text=text,
                    entries=entries,
                    heading_stems=heading_stems,
                    text_stems=text_stems,
                    stems=heading_stems.union(text_stems, *(entry.stems for entry in entries)),
                )
            )
        intro = plain_markdown(compilation.intro)
        indexed.append(
            IndexedCompilation(
                page=light_page(compilation),
                summary=compilation.summary,
                intro=intro,
                summary_stems=stems_of(compilation.summary),
                own_stems=stems_of(f"{compilation.title} {compilation.summary} {intro}"),
                sections=tuple(sections),
                language=compilation.locale.language_code,
                translation_key=str(compilation.translation_key),
            )
        )
    return tuple(indexed)


def compilation_index():
    """Every live, public compilation, read for search; rebuilt after each publish."""
    return content_version.memoized("search:compilations", _build_compilation_index)


def other_language_versions():
    """The ids of compilations that have a version in the reader's language (the URL's) and are
    not it: search and suggestions show each compilation once, in that language when it has
    one."""
    language = translation.get_language()
    index = compilation_index()
    here = {c.translation_key for c in index if c.language == language}
    return {c.page.pk for c in index if c.language != language and c.translation_key in here}


def _found(term_stems, stems):
    return sum(1 for term in term_stems if term in stems)


def compilation_hits(query, request=None):
    """Live, public compilations matching every term, each with its matching sections."""
    terms = query.terms
    term_stems = [stem(term) for term in terms]
    needed = len(terms)
    hits = []
    hidden = other_language_versions()
    for compilation in compilation_index():
        if compilation.page.pk in hidden:
            continue
        url = None
        sections = []
        for section in compilation.sections:
            if _found(term_stems, section.stems) < needed:
                continue
            url = url or compilation.page.get_url(request)
            matched = []
            for entry in section.entries:
                found = _found(term_stems, entry.stems)
                if found:
                    shown = Entry(
                        title=highlight(entry.title, terms, length=200),
                        source=entry.source,
                        annotation=entry.annotation,
                        snippet=highlight(entry.annotation, terms),
                    )
                    matched.append((found, shown))
            matched.sort(key=lambda pair: -pair[0])
            sections.append(
                SectionHit(
                    heading=highlight(section.heading, terms, length=200),
                    anchor=section.anchor,
                    url=f"{url}#{section.anchor}",
                    snippet=highlight(section.text, terms),
                    score=3 * _found(term_stems, section.heading_stems)
                    + len(matched)
                    + _found(term_stems, section.text_stems),
                    entries=[entry for _, entry in matched[:MAX_ENTRIES_PER_SECTION]],
                )
            )
        if not sections and _found(term_stems, compilation.own_stems) < needed:
            continue
        sections.sort(key=lambda hit: -hit.score)
        summary = compilation.summary
        in_summary = _found(term_stems, compilation.summary_stems)
        hits.append(
            CompilationHit(
                page=compilation.page,
                url=url or compilation.page.get_url(request),
                snippet=highlight(summary if in_summary else compilation.intro, terms) or summary,
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


def _trigrams(word):
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Vocabulary:
    """The words of live public titles, tags and topics, with a trigram index to find the ones
    that look like a mistyped term (as pg_trgm's similarity does, without a table scan)."""

    def __init__(self, words):
        self.words = sorted(words)
        self.sizes = []
        self.by_trigram = {}
        for number, word in enumerate(self.words):
            grams = _trigrams(word)
            self.sizes.append(len(grams))
            for gram in grams:
                self.by_trigram.setdefault(gram, []).append(number)

    def closest(self, term):
        """The known word most like `term`, or None: trigram similarity picks the candidates,
        difflib's ratio (which weighs the order of letters) picks among them."""
        grams = _trigrams(term)
        shared = Counter(n for gram in grams for n in self.by_trigram.get(gram, ()))
        candidates = [
            self.words[n]
            for n, count in shared.items()
            if count / (len(grams) + self.sizes[n] - count) >= DID_YOU_MEAN_MIN_SIMILARITY
        ]
        best = difflib.get_close_matches(term, candidates, n=1, cutoff=DID_YOU_MEAN_MIN_RATIO)
        return best[0] if best else None


def _vocabulary_words():
    texts = [
        *Page.objects.live().public().values_list("title", flat=True),
        *readable_tags().values_list("name", flat=True),
        *Topic.objects.values_list("name", flat=True),
    ]
    words = {word.lower() for text in texts for word in WORD_RE.findall(text)}
    return sorted(word for word in words if len(word) >= 3 and not word.isdigit())


def vocabulary():
    """The Vocabulary of the current content version; the word list is shared through the
    cache, and each process builds the trigram index once per version."""
    return content_version.memoized(
        "search:vocabulary",
        lambda: Vocabulary(
            content_version.cached("search:vocabulary-words", _vocabulary_words, request=None)
        ),
    )


def did_you_mean(query):
    """A corrected query string, or "" when no term has a close known word."""
    if len(query.terms) > MAX_DID_YOU_MEAN_TERMS:
        return ""  # a long query is rarely a typo
    known = vocabulary()
    corrected, changed = [], False
    for term in query.terms:
        if len(term) < 3 or term.isdigit():
            corrected.append(term)
            continue
        best = known.closest(term)
        if best and best != term:
            corrected.append(best)
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


# Suggestion candidates, read once per content version. A candidate's fields carry weights: the
# title or heading counts most, then a post's tags; a post's summary counts least and matches
# only the query as a phrase (so that "n+1" finds the posts whose summary says "N+1", as search
# does, and not every summary with an "n" and a "1" somewhere).
TITLE_WEIGHT, LABEL_WEIGHT, SUMMARY_WEIGHT = 3, 2, 1
# Equal scores list compilations first, then posts, sections, topics and tags.
SUGGESTION_TYPES = ("Compilation", "Post", "Section", "Topic", "Tag")


@dataclass(frozen=True)
class Candidate:
    title: str
    type: str
    page: object = None  # a light Page for pages and sections, None for topics and tags
    anchor: str = ""
    slug: str = ""  # topics and tags
    fields: tuple = ()  # (weight, frozenset of lower-case words)
    phrase: tuple = ()  # lower-case words in order, matched as a phrase at SUMMARY_WEIGHT


def _words(text):
    return frozenset(_sequence(text))


def _sequence(text):
    return tuple(word.lower() for word in WORD_RE.findall(text or ""))


def _build_suggestion_index():
    posts = list(
        TopicPostPage.objects.readable()
        .defer_streamfields()
        .only("pk", "title", "summary", "url_path", "depth", "topic_id")
        .order_by("-date", "-pk")
    )
    tags_of = {}
    tags = {}
    readable = TopicPostPage.objects.readable().values("pk")
    for item in TopicPostTag.objects.filter(content_object__in=readable).select_related("tag"):
        tags_of.setdefault(item.content_object_id, []).append(item.tag.name)
        tags[item.tag.slug] = item.tag.name
    post_titles = set()
    candidates = []
    for compilation in compilation_index():
        page = compilation.page
        candidates.append(
            Candidate(
                page.title,
                "Compilation",
                page=page,
                fields=((TITLE_WEIGHT, _words(page.title)),),
            )
        )
    for post in posts:
        post_titles.add(post.title.casefold())
        # The topic is a suggestion of its own: matching its words here would list every
        # post of the topic.
        labels = " ".join(tags_of.get(post.pk, []))
        candidates.append(
            Candidate(
                post.title,
                "Post",
                page=light_page(post),
                fields=((TITLE_WEIGHT, _words(post.title)), (LABEL_WEIGHT, _words(labels))),
                phrase=_sequence(post.summary),
            )
        )
    for compilation in compilation_index():
        for section in compilation.sections:
            if section.heading.casefold() in post_titles:
                continue  # the post of the same title stands for both
            candidates.append(
                Candidate(
                    section.heading,
                    "Section",
                    page=compilation.page,
                    anchor=section.anchor,
                    fields=((TITLE_WEIGHT, _words(section.heading)),),
                )
            )
    used_topics = {post.topic_id for post in posts}
    translations = snippet_translations(Topic)
    topics = [
        in_reader_language(topic, translations)
        for topic in Topic.objects.filter(pk__in=used_topics)
    ]
    for topic in sorted(topics, key=lambda topic: topic.name.casefold()):
        candidates.append(
            Candidate(
                topic.name, "Topic", slug=topic.slug, fields=((TITLE_WEIGHT, _words(topic.name)),)
            )
        )
    for slug, name in sorted(tags.items()):
        candidates.append(Candidate(name, "Tag", slug=slug, fields=((TITLE_WEIGHT, _words(name)),)))
    return SuggestionIndex(tuple(candidates))


class SuggestionIndex:
    """The candidates with an inverted index of their words, so that a query looks up the
    words it names (and, for its unfinished last term, the sorted run of words starting with
    it) instead of reading every candidate."""

    def __init__(self, candidates):
        self.candidates = candidates
        fields, phrases = {}, {}
        for number, candidate in enumerate(candidates):
            for weight, words in candidate.fields:
                for word in words:
                    held = fields.setdefault(word, {})
                    held[number] = max(held.get(number, 0), weight)
            for word in set(candidate.phrase):
                phrases.setdefault(word, set()).add(number)
        self.fields = fields  # word -> {candidate number: best weight}
        self.phrases = phrases  # word -> {candidate numbers whose phrase holds it}
        self.words = sorted(fields.keys() | phrases.keys())

    def _words_for(self, term, last):
        if not last:
            return [term]
        start = bisect.bisect_left(self.words, term)
        end = bisect.bisect_left(self.words, term + "\U0010ffff")
        return self.words[start:end]

    def matches(self, terms):
        """[(score, candidate number)] of the candidates matching every term."""
        weights, in_phrase = [], []
        for position, term in enumerate(terms):
            found, phrased = {}, set()
            for word in self._words_for(term, position == len(terms) - 1):
                for number, weight in self.fields.get(word, {}).items():
                    found[number] = max(found.get(number, 0), weight)
                phrased |= self.phrases.get(word, set())
            weights.append(found)
            in_phrase.append(phrased)
        numbers = set.intersection(*(set(w) | p for w, p in zip(weights, in_phrase, strict=True)))
        scored = []
        for number in numbers:
            score = sum(found.get(number, 0) for found in weights)
            missing = sum(1 for found in weights if number not in found)
            if missing:
                # Some term is only in the summary: the whole query must be a phrase there.
                if not _in_phrase(terms, self.candidates[number].phrase):
                    continue
                score += missing * SUMMARY_WEIGHT
            scored.append((score, number))
        return scored


def suggestion_index():
    """Every suggestion candidate of the current content version, built once per process."""
    return content_version.memoized("search:suggestions", _build_suggestion_index)


def _in_phrase(terms, words):
    """True when the terms occur one after another in `words`, the last as a word's start."""
    size = len(terms)
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        if window[:-1] == terms[:-1] and window[-1].startswith(terms[-1]):
            return True
    return False


def _suggestion_url(candidate, request):
    if candidate.type == "Topic":
        return reverse("topic_archive", args=[candidate.slug])  # a topic's one address
    if candidate.type == "Tag":
        return reverse("tag_archive", args=[candidate.slug])
    url = candidate.page.get_url(request)
    return f"{url}#{candidate.anchor}" if candidate.anchor else url


def suggestions(query, request=None):
    """Posts, compilations, sections, topics and tags whose words match what the reader has
    typed so far, best first: at most MAX_SUGGESTIONS, then a row that runs the full search."""
    terms = query.terms
    if not terms:
        return []
    index = suggestion_index()
    hidden = other_language_versions()
    scored = []
    # Every term is a whole word but the last, which may be unfinished (the reader is still
    # typing); words match anywhere in a field, not only at its start.
    for score, order in index.matches(terms):
        candidate = index.candidates[order]
        if candidate.page is not None and candidate.page.pk in hidden:
            continue  # a compilation or section in another language than the reader's
        starts = candidate.title.lower().startswith(terms[0])
        rank = (-score, not starts, SUGGESTION_TYPES.index(candidate.type), order)
        scored.append((rank, candidate))
    scored.sort(key=lambda pair: pair[0])
    found = [
        Suggestion(candidate.title, _suggestion_url(candidate, request), candidate.type)
        for _, candidate in scored[:MAX_SUGGESTIONS]
    ]
    search_url = f"{reverse('search')}?{urlencode({'q': query.raw})}"
    found.append(
        Suggestion(_("Search for “%(query)s”") % {"query": query.raw}, search_url, "Search")
    )
    return found

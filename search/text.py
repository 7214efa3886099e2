"""Query cleaning, word matching and highlighted snippets: plain Python, no database."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# Limits that keep every query cheap for the full-text parsers: a longer query is cut, not refused.
MAX_RAW_CHARS = 2000
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40
SNIPPET_CHARS = 220

# A search term is a run of letters or digits in any script, with inner dots and apostrophes
# kept ("5.2", "x.2", "django.db", "don't"). Everything else - full-text operators, quotes,
# hyphens, emoji, SQL punctuation - separates terms and is never passed to a parser.
WORD_RE = re.compile(r"\w+(?:[.'’]\w+)*")
# Endings stripped so that "caching", "cache" and "caches" compare equal when highlighting and
# matching compilation sections; the database does proper stemming for the ranking itself.
SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s", "e")


@dataclass(frozen=True)
class Query:
    """A reader's query made safe: `text` goes to the search backend, `terms` to highlighting."""

    raw: str
    text: str
    terms: tuple
    truncated: bool

    def __bool__(self):
        return bool(self.terms)


def _printable(raw):
    # Control characters become spaces; format characters (zero-width space, joiners, bidi marks)
    # are dropped so that they cannot split or disguise a word.
    out = []
    for ch in raw:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        out.append(" " if category[0] in "CZ" else ch)
    return "".join(out)


def parse_query(raw):
    """A Query from the raw `q` parameter, whatever it holds."""
    raw = raw or ""
    shown = " ".join(_printable(raw[:MAX_RAW_CHARS]).split())[:MAX_QUERY_CHARS]
    words = [word.strip(".'’")[:MAX_TERM_CHARS].lower() for word in WORD_RE.findall(shown)]
    words = [word for word in words if word and not word.strip("_") == ""]
    terms = tuple(dict.fromkeys(words))[:MAX_TERMS]
    truncated = len(raw) > MAX_QUERY_CHARS or len(dict.fromkeys(words)) > MAX_TERMS
    return Query(raw=shown, text=" ".join(terms), terms=terms, truncated=truncated)


@lru_cache(maxsize=50_000)
def stem(word):
    word = word.lower()
    for suffix in SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def matches(terms, text):
    """How many of the terms occur in the text, compared by rough stem."""
    if not terms or not text:
        return 0
    words = stems_of(text)
    return sum(1 for term in terms if stem(term) in words)


@lru_cache(maxsize=2_000)
def stems_of(text):
    """The stems of every word in the text; compilation sections repeat across requests."""
    return frozenset(stem(word) for word in WORD_RE.findall(text))


def highlight(text, terms, length=SNIPPET_CHARS):
    """An escaped excerpt of plain `text` around the first matched word, in <mark>s.

    Callers strip tags from HTML sources first. The text is escaped piece by piece and only our
    own <mark> tags are added, so markup in the content or the query can never reach the page
    unescaped.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    stems = {stem(term) for term in terms}
    found = [m for m in WORD_RE.finditer(text) if stem(m.group()) in stems]
    start = 0
    if found and found[0].start() > length // 3:
        start = text.rfind(" ", 0, found[0].start() - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    pieces, cursor = [], start
    for match in found:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece escaped above


def stream_text(raw_data):
    """The words of a StreamField's raw JSON: every string value, tags stripped.

    Reading raw data avoids building block values (and their page or image queries) just to
    show a snippet.
    """
    parts = []

    def walk(value, key=""):
        if isinstance(value, str):
            # Identifiers, URLs and enum-like fields say nothing a reader searches for.
            if key not in ("type", "id", "url", "source_url", "language", "kind", "anchor"):
                parts.append(strip_tags(value))
        elif isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, child_key)
        elif isinstance(value, list):
            for child in value:
                walk(child, key)

    walk(raw_data)
    return " ".join(" ".join(parts).split())


MARKDOWN_SYNTAX_RE = re.compile(r"(^|\s)(#{1,6}|[*_`>]+|\d+\.)(?=\s)|[*_`]{1,3}|\]\([^)]*\)|\[")


def plain_markdown(text):
    """Markdown source without the syntax a reader would not see."""
    return MARKDOWN_SYNTAX_RE.sub(" ", text or "")

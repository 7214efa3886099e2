"""Compilations as Markdown files: one file per compilation, so a compilation can live in Git.

```
---
type: compilation
title: Django at Scale in Production
slug: django-at-scale-in-production
summary: One sentence for listings.
---
The intro, in Markdown.

## Caching
<!--
anchor: caching
reviewed: 2026-11-01
applies_to: Django 5.2
-->

The section's text, in Markdown.

<!-- entries -->
- [Caching in production](<post:caching>) — Our own post, by its slug.
- [Cache framework](<https://docs.djangoproject.com/en/5.2/topics/cache/>) · Django docs — Why.
```

A section starts at a `## ` line followed by a `<!--` line holding its settings as YAML; its
entries follow the `<!-- entries -->` line, one per line: a post by its slug, or an outside link
with its source after `·`; the annotation follows ` — `. Both comments are hidden wherever the
file is shown as Markdown. Block ids are kept from the page being updated, else made from the
compilation's slug and the section's anchor, so importing the same file twice, or the seed
twice, gives the same ids and a revision compare shows only what changed.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

import yaml

from blog.outline import section_anchor

from .posts import FrontMatterError, format_front_matter, written_language

KIND = "compilation"
KNOWN = ("type", "title", "slug", "summary", "language")
SECTION_KEYS = ("anchor", "reviewed", "applies_to")
ENTRIES_MARK = "<!-- entries -->"
POST_PREFIX = "post:"
ENTRY_RE = re.compile(
    r"^[-*] \[(?P<title>(?:\\.|[^\]\\])*)\]\(<(?P<target>[^>\n]*)>\)"
    r"(?: · (?P<source>.*?))?(?: — (?P<annotation>.*))?$"
)
IDS = uuid.UUID("6f1d7c1e-3b51-4c1b-9a57-0b5f9c1a2d40")


@dataclass
class EntryLine:
    kind: str  # "post" or "link"
    target: str  # a post's slug or a link's URL
    title: str
    source: str
    annotation: str
    line: int


@dataclass
class SectionPart:
    heading: str
    anchor: str
    reviewed: object  # a date or None
    applies_to: str
    text: str
    entries: list
    line: int


@dataclass
class CompilationFile:
    path: object
    title: str
    slug: str
    summary: str
    intro: str
    sections: list = field(default_factory=list)
    lines: dict = field(default_factory=dict)
    language: str = ""  # blank: the default language

    def line_of(self, key):
        return self.lines.get(key, 1)

    def post_slugs(self):
        return [
            (entry.target, entry.line)
            for section in self.sections
            for entry in section.entries
            if entry.kind == "post"
        ]


def is_compilation(front):
    return str(front.meta.get("type") or "").strip() == KIND


def _escape(title):
    return re.sub(r"([\\\]\[])", r"\\\1", " ".join(str(title).split()))


def _unescape(title):
    return re.sub(r"\\(.)", r"\1", title)


def parse_compilation(front):
    """A CompilationFile from a file's front matter (type: compilation) and body."""
    for key in front.meta:
        if key not in KNOWN:
            raise FrontMatterError(f"{front.path}:{front.line_of(key)}: unknown key {key!r}")
    lines = front.body.split("\n")
    starts = [
        i
        for i, line in enumerate(lines)
        if line.startswith("## ") and i + 1 < len(lines) and lines[i + 1].strip() == "<!--"
    ]
    intro = "\n".join(lines[: starts[0] if starts else len(lines)]).strip()
    sections = []
    for number, start in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else len(lines)
        sections.append(_section(front, lines, start, stop))
    return CompilationFile(
        path=front.path,
        title=front.text("title", required=True),
        slug=front.text("slug", required=True),
        summary=front.text("summary"),
        intro=intro,
        sections=sections,
        lines=front.lines,
        language=front.language(),
    )


def _section(front, lines, start, stop):
    first = front.body_line + start  # the file's line number of the "## " line
    try:
        close = next(i for i in range(start + 2, stop) if lines[i].strip() == "-->")
    except StopIteration:
        raise FrontMatterError(
            f"{front.path}:{first + 1}: the section's settings have no closing '-->' line"
        ) from None
    try:
        settings = yaml.safe_load("\n".join(lines[start + 2 : close])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first + 2 + (mark.line if mark else 0)
        raise FrontMatterError(
            f"{front.path}:{line}: the section's settings are not valid YAML"
        ) from None
    if not isinstance(settings, dict):
        raise FrontMatterError(f"{front.path}:{first + 2}: expected 'key: value' lines")
    for key in settings:
        if key not in SECTION_KEYS:
            raise FrontMatterError(f"{front.path}:{first + 2}: unknown section setting {key!r}")
    reviewed = settings.get("reviewed")
    if reviewed in ("", None):
        reviewed = None
    elif not hasattr(reviewed, "isoformat"):
        raise FrontMatterError(
            f"{front.path}:{first + 2}: reviewed must be YYYY-MM-DD, got {reviewed!r}"
        )
    body = lines[close + 1 : stop]
    try:
        mark = next(i for i, line in enumerate(body) if line.strip() == ENTRIES_MARK)
    except StopIteration:
        mark = len(body)
    entries = []
    for offset, line in enumerate(body[mark + 1 :], start=close + 2 + mark + 1):
        if not line.strip():
            continue
        entries.append(_entry(front, line.strip(), front.body_line + offset))
    heading = lines[start][3:].strip()
    return SectionPart(
        heading=heading,
        anchor=str(settings.get("anchor") or ""),
        reviewed=reviewed,
        applies_to=str(settings.get("applies_to") or ""),
        text="\n".join(body[:mark]).strip(),
        entries=entries,
        line=first,
    )


def _entry(front, line, number):
    match = ENTRY_RE.match(line)
    if not match:
        raise FrontMatterError(
            f"{front.path}:{number}: expected an entry like "
            "'- [Title](<post:slug>) — annotation' or '- [Title](<https://…>) · Source — "
            "annotation'"
        )
    target = match["target"].strip()
    kind = "post" if target.startswith(POST_PREFIX) else "link"
    return EntryLine(
        kind=kind,
        target=target[len(POST_PREFIX) :] if kind == "post" else target,
        title=_unescape(match["title"]),
        source=(match["source"] or "").strip(),
        annotation=(match["annotation"] or "").strip(),
        line=number,
    )


# Between files and StreamField data ----------------------------------------------------------


def _post_slugs(*bodies):
    """{page id: slug} of the posts the entries of these raw bodies point at."""
    from blog.models import TopicPostPage

    ids = {
        (entry.get("value") or {}).get("page")
        for body in bodies
        for block in body or []
        for entry in (block.get("value") or {}).get("entries") or []
        if entry.get("type") == "post"
    }
    ids.discard(None)
    return dict(TopicPostPage.objects.filter(pk__in=ids).values_list("pk", "slug"))


def _key_ids(slug, raw_body, slugs):
    """The block ids of a compilation body, by what each block is: a section by its anchor, an
    entry by its section, kind, target and how many such entries came before it."""
    ids = {}
    for block in raw_body or []:
        value = block.get("value") or {}
        anchor = section_anchor(value.get("heading"), value.get("anchor"))
        if block.get("id"):
            ids.setdefault(("section", anchor), block["id"])
        seen = {}
        for entry in value.get("entries") or []:
            target = _target(entry, slugs)
            seen[target] = seen.get(target, 0) + 1
            if entry.get("id"):
                ids.setdefault(("entry", anchor, *target, seen[target]), entry["id"])
    return ids


def _target(raw_entry, slugs):
    """What an entry points at: a post by its slug (ids change when a site is rebuilt), or a URL."""
    value = raw_entry.get("value") or {}
    if raw_entry.get("type") == "post":
        page = value.get("page")
        return ("post", slugs.get(page) or f"#{page}")
    return ("link", value.get("url") or "")


def with_stable_ids(slug, raw_body, previous=None):
    """Raw compilation data with an id on every section and entry: the id the same block had
    in `previous` (the page's current body), else one made from the slug and the block's key."""
    slugs = _post_slugs(raw_body, previous)
    known = _key_ids(slug, previous, slugs)
    body = []
    for block in raw_body:
        value = dict(block.get("value") or {})
        anchor = section_anchor(value.get("heading"), value.get("anchor"))
        key = ("section", anchor)
        section_id = known.get(key) or str(uuid.uuid5(IDS, f"{slug}#{anchor}"))
        entries, seen = [], {}
        for entry in value.get("entries") or []:
            target = _target(entry, slugs)
            seen[target] = seen.get(target, 0) + 1
            key = ("entry", anchor, *target, seen[target])
            name = f"{slug}#{anchor}/{target[0]}:{target[1]}/{seen[target]}"
            entry_id = known.get(key) or str(uuid.uuid5(IDS, name))
            entries.append({**entry, "id": entry_id})
        value["entries"] = entries
        body.append({"type": "section", "value": value, "id": section_id})
    return body


def raw_body(sections, post_ids):
    """Raw StreamField data (without ids) for parsed sections; post_ids maps slug -> page id."""
    body = []
    for section in sections:
        entries = []
        for entry in section.entries:
            if entry.kind == "post":
                value = {"page": post_ids[entry.target]}
            else:
                value = {"url": entry.target, "title": entry.title, "source": entry.source}
            value["annotation"] = entry.annotation
            entries.append({"type": entry.kind, "value": value})
        body.append(
            {
                "type": "section",
                "value": {
                    "heading": section.heading,
                    "anchor": section.anchor,
                    "reviewed": section.reviewed.isoformat() if section.reviewed else None,
                    "applies_to": section.applies_to,
                    "text": section.text,
                    "entries": entries,
                },
            }
        )
    return body


def format_compilation(page, posts):
    """The Markdown file for a compilation page; posts maps page id -> (slug, title).

    Returns (text, problems): entries pointing at posts that no longer exist are left out and
    listed in problems.
    """
    meta = {
        "type": KIND,
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "language": written_language(page.locale.language_code),
    }
    parts = [format_front_matter({k: v for k, v in meta.items() if v}).rstrip("\n")]
    problems = []
    if (page.intro or "").strip():
        parts.append(page.intro.replace("\r\n", "\n").strip())
    for block in page.body.raw_data:
        if block.get("type") != "section":
            continue
        value = block.get("value") or {}
        settings = {
            "anchor": value.get("anchor") or "",
            "reviewed": value.get("reviewed") or None,
            "applies_to": value.get("applies_to") or "",
        }
        settings = {k: v for k, v in settings.items() if v}
        if settings.get("reviewed"):
            settings["reviewed"] = _date(settings["reviewed"])
        yaml_text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=1000)
        section = [f"## {' '.join((value.get('heading') or '').split())}", "<!--"]
        section += [yaml_text.rstrip("\n")] if settings else []
        section.append("-->")
        text = (value.get("text") or "").replace("\r\n", "\n").strip()
        if text:
            section += ["", text]
        section += ["", ENTRIES_MARK]
        for entry in value.get("entries") or []:
            line = _entry_line(entry, posts, value.get("heading"), problems)
            if line:
                section.append(line)
        parts.append("\n".join(section))
    return "\n\n".join(parts) + "\n", problems


def _date(value):
    return value if hasattr(value, "isoformat") else datetime.date.fromisoformat(str(value))


def _entry_line(entry, posts, heading, problems):
    value = entry.get("value") or {}
    annotation = " ".join((value.get("annotation") or "").split())
    tail = f" — {annotation}" if annotation else ""
    if entry.get("type") == "post":
        found = posts.get(value.get("page"))
        if found is None:
            problems.append(f"{heading}: an entry points at a post that no longer exists")
            return ""
        slug, title = found
        return f"- [{_escape(title)}](<{POST_PREFIX}{slug}>){tail}"
    source = " ".join((value.get("source") or "").split())
    middle = f" · {source}" if source else ""
    url = (value.get("url") or "").replace(">", "%3E")
    return f"- [{_escape(value.get('title') or '')}](<{url}>){middle}{tail}"

"""A compilation's sections and entries, read from its StreamField's raw data.

Rendering, search, link health, the editors' checks and the home page need the outline of a
compilation (headings, anchors, entries) without building every block and fetching every chosen
page. This is the one reader of that raw data, and the one rule for a section's anchor.
"""

import json
from dataclasses import dataclass

from django.utils.text import slugify


def section_anchor(heading, anchor=""):
    """The #fragment of a compilation section: its own anchor, else made from its heading."""
    return anchor or slugify(heading or "") or "section"


def revision_stream(content, name):
    """The raw data of StreamField `name` in a revision's content, where Wagtail keeps it as a
    JSON string (older revisions as the list itself); [] when missing or unreadable."""
    data = (content or {}).get(name) or []
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return []
    return data if isinstance(data, list) else []


def list_items(raw_list):
    """The item values of a ListBlock's raw data: Wagtail stores each as {"type": "item",
    "value": ...}, older data as the bare value."""
    for item in raw_list or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


@dataclass(frozen=True)
class Entry:
    """One entry of a section: one of our posts (`page_id`) or an outside link (`url`)."""

    kind: str  # "post" or "link"
    page_id: int | None
    url: str
    title: str
    source: str
    annotation: str
    id: str = ""  # the block's stored id: stable across revisions while the entry exists


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    text: str
    entries: tuple
    applies_to: str = ""  # "Django 5.2, Celery 5.7": the versions the advice was written for
    reviewed: str = ""  # "2026-11-30": when an editor last checked it (ISO date, as stored)
    id: str = ""  # the block's stored id: stable across revisions while the section exists

    def post_ids(self):
        return [entry.page_id for entry in self.entries if entry.kind == "post" and entry.page_id]


def _entry(raw):
    kind = raw.get("type") or ""
    value = raw.get("value") or {}
    return Entry(
        kind=kind,
        page_id=value.get("page") if kind == "post" else None,
        url=value.get("url") or "",
        title=value.get("title") or "",
        source=value.get("source") or "",
        annotation=value.get("annotation") or "",
        id=raw.get("id") or "",
    )


def sections(raw_data):
    """The Sections of a compilation body's raw data, in reading order."""
    for block in raw_data:
        if block.get("type") != "section":
            continue
        value = block.get("value") or {}
        heading = value.get("heading") or ""
        yield Section(
            heading=heading,
            anchor=section_anchor(heading, value.get("anchor")),
            text=value.get("text") or "",
            entries=tuple(_entry(entry) for entry in value.get("entries") or []),
            applies_to=value.get("applies_to") or "",
            reviewed=value.get("reviewed") or "",
            id=block.get("id") or "",
        )

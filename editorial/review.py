"""Sections due for review: the compilation is only useful while its advice is current, so a
section whose "reviewed" date is more than a year old (or missing) is flagged to editors on the
admin dashboard and at the top of the compilation's edit view (editorial/wagtail_hooks.py)."""

import datetime

from django.utils import timezone

REVIEW_EVERY = datetime.timedelta(days=365)


def stale_sections(compilation, today=None):
    """[(heading, reviewed or None)] for the sections of `compilation` that are due a review."""
    today = today or timezone.localdate()
    if not hasattr(compilation, "body"):  # one section page, edited on its own
        reviewed = compilation.reviewed
        stale = reviewed is None or today - reviewed > REVIEW_EVERY
        return [(compilation.title, reviewed)] if stale else []
    due = []
    for child in compilation.body:
        if child.block_type != "section":
            continue
        reviewed = child.value.get("reviewed")
        if reviewed is None or today - reviewed > REVIEW_EVERY:
            due.append((child.value.get("heading"), reviewed))
    return due


def describe(due):
    parts = []
    for heading, reviewed in due:
        when = f"reviewed {reviewed.isoformat()}" if reviewed else "never reviewed"
        parts.append(f"“{heading}” ({when})")
    return "; ".join(parts)

"""A compilation's published changes, newest first, read from its revisions.

Wagtail keeps a revision for every publish and logs the publish ("wagtail.publish") with the
revision it made live; each publish is compared with the one before it (changes.diff).
"""

from dataclasses import dataclass, replace

from wagtail.models import PageLogEntry

from blog.models import TopicPostPage
from blog.outline import revision_stream

from . import diff
from .models import PublishNote

# The most publishes the log shows: enough for years of edits, bounded for the page and feed.
LOG_PUBLISHES = 100


@dataclass(frozen=True)
class Publish:
    """One publish that changed what readers see: its log entry's id (a stable anchor), when,
    and the changes."""

    id: int
    published_at: object  # an aware datetime
    changes: tuple
    note: str = ""  # the editor's public note on this publish, if any


def _note(revision):
    try:
        return revision.publish_note.text
    except PublishNote.DoesNotExist:
        return ""


def _with_post_titles(publishes):
    """Give post entries their post's title; a post readers cannot open (a draft, private)
    keeps an empty title and no page id, so nothing about it is shown or linked."""
    ids = {c.page_id for p in publishes for c in p.changes if c.page_id}
    posts = TopicPostPage.objects.readable().filter(pk__in=ids)
    titles = dict(posts.values_list("pk", "title")) if ids else {}
    shown = []
    for publish in publishes:
        changes = tuple(
            replace(change, title=titles[change.page_id])
            if change.page_id in titles
            else replace(change, page_id=None)
            if change.page_id
            else change
            for change in publish.changes
        )
        shown.append(replace(publish, changes=changes))
    return shown


def publishes(page):
    """The Publishes of `page` that changed its sections or entries or carry a note, newest
    first. Two queries:
    the publishes with their revisions, then the titles of the posts they name."""
    logged = list(
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision__publish_note")
        .order_by("-timestamp", "-pk")[: LOG_PUBLISHES + 1]
    )
    logged.reverse()
    found = []
    previous = None
    for number, entry in enumerate(logged):
        body = revision_stream(entry.revision.content, "body")
        # The oldest one fetched is the base of the next when older publishes were cut off.
        if number > 0 or len(logged) <= LOG_PUBLISHES:
            changes = diff.compare(previous, body)
            note = _note(entry.revision)
            if changes or note:
                found.append(Publish(entry.pk, entry.timestamp, tuple(changes), note))
        previous = body
    found.reverse()
    return _with_post_titles(found)

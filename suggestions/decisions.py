"""What an editor's decision does: an accepted suggestion becomes an entry in a new draft of the
compilation's section (a page of its own); every decision is recorded, and the reader is told
when they left an address."""

import copy
import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from blog import outline

from .forms import normalise_url
from .models import Status, Suggestion
from .tasks import tell_suggester

SOURCE_MAX = 60  # the link entry's "source" field


class CannotAccept(Exception):
    """The suggestion cannot go into the draft; the message says why, for the editor."""


def can_decide(user, compilation):
    """Only people who may edit the compilation decide what goes into it."""
    return bool(
        user.is_authenticated
        and user.has_perm("suggestions.change_suggestion")
        and compilation.permissions_for_user(user).can_edit()
    )


def entry_urls(compilation):
    """The normalised links of the compilation's entries, live and in its sections' drafts."""
    bodies = [compilation.body.raw_data]
    drafts = compilation.section_pages(live=False).filter(has_unpublished_changes=True)
    bodies.append([section.get_latest_revision_as_object().as_block() for section in drafts])
    return {
        normalise_url(entry.url)
        for body in bodies
        for section in outline.sections(body)
        for entry in section.entries
        if entry.kind == "link" and entry.url
    }


def is_duplicate(compilation, url):
    return normalise_url(url) in entry_urls(compilation)


def credited(suggestion):
    if not suggestion.credit_name:
        return suggestion.annotation
    return f"{suggestion.annotation} (suggested by {suggestion.credit_name})"


def link_entry(suggestion):
    host = (urlsplit(suggestion.url).hostname or "").removeprefix("www.")
    return {
        "type": "link",
        "id": str(uuid.uuid4()),
        "value": {
            "url": suggestion.url,
            "title": suggestion.title,
            "source": host[:SOURCE_MAX],
            "annotation": credited(suggestion),
        },
    }


def _find_section(compilation, suggestion):
    """The section page the suggestion was made for: by its id (the section block's id is the
    page's translation key), else (a section made again since) by its heading."""
    sections = list(compilation.section_pages(live=False))
    for section in sections:
        if suggestion.section_id and str(section.translation_key) == suggestion.section_id:
            return section
    for section in sections:
        if suggestion.section_heading in (section.title, section.draft_title):
            return section
    return None


def _decide(suggestion, user, status, reason=""):
    suggestion.status = status
    suggestion.reason = reason
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    if suggestion.email and status in (Status.ACCEPTED, Status.REJECTED):
        tell_suggester.enqueue(suggestion.pk)


def _undecided(suggestion):
    """The suggestion again, locked until the decision is saved: two editors clicking at once
    make one decision, and one draft."""
    fresh = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if fresh.is_decided:
        raise CannotAccept(f"It was already marked {fresh.get_status_display().lower()}.")
    return fresh


@transaction.atomic
def accept(suggestion, user):
    """Add the entry at the end of its section in a new draft revision of the section page,
    built on its latest revision (other unpublished edits are kept); nothing is published.
    Returns the revision."""
    suggestion = _undecided(suggestion)
    compilation = suggestion.compilation
    section = _find_section(compilation, suggestion)
    if section is None:
        raise CannotAccept(
            f"The section “{suggestion.section_heading}” is no longer in the compilation."
        )
    if section.permissions_for_user(user).page_locked():
        raise CannotAccept("The section is locked by someone else.")
    draft = section.get_latest_revision_as_object()
    draft.entries = [*copy.deepcopy(list(draft.entries.raw_data)), link_entry(suggestion)]
    revision = draft.save_revision(user=user, log_action=True)
    _decide(suggestion, user, Status.ACCEPTED)
    return revision


@transaction.atomic
def reject(suggestion, user, reason):
    _decide(_undecided(suggestion), user, Status.REJECTED, reason)


@transaction.atomic
def mark_duplicate(suggestion, user):
    _decide(_undecided(suggestion), user, Status.DUPLICATE)

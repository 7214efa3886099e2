"""A page's history that reads as what editors did, not how often the editor autosaved.

Wagtail's editor autosaves a draft every few seconds while someone types, and logs each save as
its own "Draft saved" row. Consecutive "Draft saved" rows by the same editor on the same page
within MERGE_WINDOW are one piece of work: the earlier row is dropped when the next one comes,
so the history keeps the last of them (and every revision is still kept for comparing).
"""

import datetime

from wagtail.models import PageLogEntry

DRAFT_SAVED = "wagtail.edit"
MERGE_WINDOW = datetime.timedelta(minutes=30)


def merge_draft_saves(sender, instance, created, raw=False, **kwargs):
    """post_save receiver for PageLogEntry: fold the previous row into this one when both are
    "Draft saved" by the same editor, one after the other, within MERGE_WINDOW."""
    if not created or raw or instance.action != DRAFT_SAVED or instance.user_id is None:
        return
    previous = (
        PageLogEntry.objects.filter(page_id=instance.page_id, timestamp__lte=instance.timestamp)
        .exclude(pk=instance.pk)
        .order_by("-timestamp", "-pk")
        .first()
    )
    if (
        previous is not None
        and previous.action == DRAFT_SAVED
        and previous.user_id == instance.user_id
        and instance.timestamp - previous.timestamp <= MERGE_WINDOW
    ):
        previous.delete()

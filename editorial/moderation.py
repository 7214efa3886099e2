"""Moderation in the page editor: Approve first for a reviewer, and a message that says what
approving did.

Wagtail lists a reviewer's workflow actions (Approve, Approve with comment, Request changes)
behind the footer's "Save draft"; a moderator opening a submission has come to approve it, so
the one-click Approve becomes the footer's primary button. After approving, Wagtail's message
only says the page "has been updated"; the reviewer is told instead whether the page went live,
was scheduled, or moved on to the workflow's next step.
"""

from django.contrib import messages
from django.utils import formats, timezone
from wagtail.admin.action_menu import WorkflowMenuItem

APPROVE = "approve"


def approve_first(menu_items, request, context):
    """Move the one-click Approve (not "Approve with comment") to the front of the menu."""
    for position, item in enumerate(menu_items):
        if isinstance(item, WorkflowMenuItem) and item.name == APPROVE and not item.launch_modal:
            menu_items.insert(0, menu_items.pop(position))
            return


def approval_message(page):
    """What approving did to the page, in the reviewer's words."""
    page.refresh_from_db()
    title = page.get_admin_display_title()
    if page.current_workflow_state is not None:
        return f"“{title}” approved; it moves on to the next step of its workflow."
    latest = page.get_latest_revision()
    if (
        latest is not None
        and latest.approved_go_live_at
        and latest.approved_go_live_at > timezone.now()
    ):
        when = formats.date_format(
            timezone.localtime(latest.approved_go_live_at), "DATETIME_FORMAT"
        )
        return f"“{title}” approved and scheduled: it goes live on {when}."
    if page.live:
        return f"“{title}” approved and published."
    return f"“{title}” approved."


def replace_update_message(request, page):
    """After an Approve from the editor, say "approved and published" instead of "updated"."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return
    if request.POST.get("workflow-action-name") != APPROVE:
        return
    storage = messages.get_messages(request)
    # Reading the queued messages takes them out; those kept are added back in order.
    queued = list(storage)
    updated = [m for m in queued if m.level == messages.SUCCESS and "has been updated" in m.message]
    if not updated:
        for message in queued:
            storage.add(message.level, message.message, message.extra_tags)
        return
    for message in queued:
        if message is not updated[-1]:
            storage.add(message.level, message.message, message.extra_tags)
    messages.success(request, approval_message(page))

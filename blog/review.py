"""Sections due for review: the compilation is only useful while its advice is current, so a
section whose "reviewed" date is more than a year old (or missing) is flagged to editors on the
admin dashboard and at the top of the compilation's edit view."""

import datetime

from django.contrib import messages
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import ContentCheckerItem

from .models import CompilationPage

REVIEW_EVERY = datetime.timedelta(days=365)


def stale_sections(compilation, today=None):
    """[(heading, reviewed or None)] for the sections of `compilation` that are due a review."""
    today = today or timezone.localdate()
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


class StaleSectionsPanel(Component):
    """The dashboard panel listing compilation sections not reviewed for a year."""

    name = "stale_sections"
    template_name = "blog/admin/stale_sections_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        compilations = []
        for page in CompilationPage.objects.order_by("path"):
            latest = page.get_latest_revision_as_object()
            due = stale_sections(latest)
            if due:
                compilations.append({"page": page, "due": due})
        context["compilations"] = compilations
        return context


@hooks.register("construct_homepage_panels")
def add_stale_sections_panel(request, panels):
    panels.append(StaleSectionsPanel())


@hooks.register("before_edit_page")
def warn_about_stale_sections(request, page):
    if request.method != "GET" or not isinstance(page, CompilationPage):
        return
    due = stale_sections(page)
    if due:
        messages.warning(
            request,
            f"{len(due)} section{'s' if len(due) != 1 else ''} not reviewed for over a year: "
            f"{describe(due)}. Check the advice and links, then set each section's "
            "“Reviewed” date (and “Applies to”, if the versions changed).",
        )


class StricterContentChecker(ContentCheckerItem):
    """Wagtail's accessibility checker (userbar and the editor's Checks panel), with the rules
    our readers depend on added to Wagtail's defaults: contrast, alt text, labels, landmarks."""

    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "color-contrast",
        "image-alt",
        "label",
        "link-in-text-block",
        "page-has-heading-one",
        "landmark-one-main",
        "duplicate-id-aria",
        "list",
        "listitem",
    ]


@hooks.register("construct_wagtail_userbar")
def use_stricter_content_checker(request, items, page):
    for position, item in enumerate(items):
        if type(item) is not StricterContentChecker and isinstance(item, ContentCheckerItem):
            items[position] = StricterContentChecker(in_editor=item.in_editor)

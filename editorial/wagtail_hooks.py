"""Editorial hooks: sections due for review (dashboard panel and edit-view warning), the
publish guard for compilations, the stricter accessibility checker, and Approve as a reviewer's
primary action."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import ContentCheckerItem

from blog import outline
from blog.models import CompilationPage, CompilationSectionPage, TopicPostPage

from .moderation import approve_first, replace_update_message
from .review import describe, stale_sections


class StaleSectionsPanel(Component):
    """The dashboard panel listing compilation sections not reviewed for a year."""

    name = "stale_sections"
    template_name = "editorial/stale_sections_panel.html"
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
    if request.method != "GET" or not isinstance(page, (CompilationPage, CompilationSectionPage)):
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


@hooks.register("before_publish_page")
def refuse_entries_pointing_at_unpublished_posts(request, page):
    """A compilation is only published when every internal entry points at a live post.

    The edit view has already saved the new revision as a draft, so nothing is lost: the editor
    is sent back to it with the list of entries to fix.
    """
    if isinstance(page, CompilationSectionPage):
        raw = [page.as_block()]
    elif isinstance(page, CompilationPage):
        raw = page.body.raw_data
    else:
        return None
    wanted = [
        (section.heading, entry.page_id)
        for section in outline.sections(raw)
        for entry in section.entries
        if entry.kind == "post"
    ]
    ids = {post_id for _heading, post_id in wanted if post_id}
    posts = TopicPostPage.objects.filter(pk__in=ids).only("title", "live").in_bulk()
    problems = []
    for heading, post_id in wanted:
        post = posts.get(post_id)
        if post is None:
            problems.append(f"{heading}: an entry points at a post that no longer exists")
        elif not post.live:
            problems.append(f"{heading}: “{post.title}” is not published")
    if not problems:
        return None
    admin_messages.error(
        request,
        "Not published: every post entry must point at a live post. "
        + "; ".join(problems)
        + ". Your changes are saved as a draft.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


hooks.register("construct_page_action_menu", approve_first)
hooks.register("after_edit_page", replace_update_message)

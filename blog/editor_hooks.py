"""Admin hooks for editors: the link report, the dashboard panel, warnings and checks in the
page editor, and the annotation counter's script. Imported by blog/wagtail_hooks.py."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .admin_views import LinkReportView, can_see_link_health, start_link_check
from .link_models import LinkCheck, LinkCheckRun, Outcome
from .models import CompilationPage, TopicPostPage

WARN_AT_MOST = 5


@hooks.register("register_admin_urls")
def register_link_report_urls():
    return [
        path("reports/links/", LinkReportView.as_view(), name="blog_link_report"),
        path(
            "reports/links/results/",
            LinkReportView.as_view(results_only=True),
            name="blog_link_report_results",
        ),
        path("reports/links/check/", start_link_check, name="blog_link_check_start"),
    ]


class LinkReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_link_health(request.user)


@hooks.register("register_reports_menu_item")
def register_link_report_menu_item():
    return LinkReportMenuItem(
        "Link health", reverse("blog_link_report"), name="link-health", icon_name="link", order=1300
    )


class LinkHealthPanel(Component):
    name = "link_health"
    template_name = "blog/admin/link_health_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        links = LinkCheck.objects.in_use()
        return {
            "broken_count": links.broken().count(),
            "redirect_count": links.filter(outcome=Outcome.REDIRECT).count(),
            "last_run": LinkCheckRun.objects.first(),
        }


@hooks.register("construct_homepage_panels")
def add_link_health_panel(request, panels):
    if can_see_link_health(request.user):
        panels.append(LinkHealthPanel())


def _sections(page):
    for block in page.body.raw_data:
        if block.get("type") == "section":
            value = block.get("value") or {}
            yield value.get("heading") or "", value


@hooks.register("before_edit_page")
def warn_about_broken_links(request, page):
    """On opening a compilation, name the entries whose links the last check found broken."""
    if request.method != "GET" or not isinstance(page.specific_deferred, CompilationPage):
        return None
    draft = page.specific.get_latest_revision_as_object()
    where = {}
    for heading, value in _sections(draft):
        for entry in value.get("entries") or []:
            if entry.get("type") == "link":
                url = (entry.get("value") or {}).get("url") or ""
                where.setdefault(url.split("#")[0], []).append(heading)
    broken = list(LinkCheck.objects.broken().filter(url__in=where).order_by("url"))
    if not broken:
        return None
    items = [
        f"{link.url} in {', '.join(dict.fromkeys(where[link.url]))} ({link.result})"
        for link in broken[:WARN_AT_MOST]
    ]
    more = len(broken) - WARN_AT_MOST
    if more > 0:
        items.append(f"and {more} more")
    messages.warning(
        request,
        f"{len(broken)} entr{'y links' if len(broken) == 1 else 'ies link'} to a broken URL: "
        + "; ".join(items),
        buttons=[messages.button(reverse("blog_link_report"), "Open the link report")],
    )
    return None


@hooks.register("before_publish_page")
def refuse_entries_pointing_at_unpublished_posts(request, page):
    """A compilation is only published when every internal entry points at a live post.

    The edit view has already saved the new revision as a draft, so nothing is lost: the editor
    is sent back to it with the list of entries to fix.
    """
    if not isinstance(page, CompilationPage):
        return None
    wanted = []
    for heading, value in _sections(page):
        for entry in value.get("entries") or []:
            if entry.get("type") == "post":
                wanted.append((heading, (entry.get("value") or {}).get("page")))
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
    messages.error(
        request,
        "Not published: every post entry must point at a live post. "
        + "; ".join(problems)
        + ". Your changes are saved as a draft.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("insert_global_admin_css")
def markdown_toolbar_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-markdown.css"))


@hooks.register("insert_editor_js")
def annotation_counter_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-counter.js"))

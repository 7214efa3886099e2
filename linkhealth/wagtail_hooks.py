"""Link health in the admin: the report's URLs and menu item, the dashboard panel, and the
warning on opening a compilation whose entries link to a broken URL."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from blog import outline
from blog.models import CompilationPage, CompilationSectionPage

from .models import LinkCheck, LinkCheckRun, Outcome
from .views import (
    LinkReportView,
    can_see_link_health,
    entries_outline,
    page_link_status,
    start_link_check,
)

WARN_AT_MOST = 5


@hooks.register("register_admin_urls")
def register_link_report_urls():
    return [
        path("reports/links/", LinkReportView.as_view(), name="linkhealth_report"),
        path(
            "reports/links/results/",
            LinkReportView.as_view(results_only=True),
            name="linkhealth_report_results",
        ),
        path("reports/links/check/", start_link_check, name="linkhealth_check_start"),
        path(
            "reports/links/page/<int:page_id>/",
            page_link_status,
            name="linkhealth_page_status",
        ),
    ]


class LinkReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_link_health(request.user)


@hooks.register("register_reports_menu_item")
def register_link_report_menu_item():
    return LinkReportMenuItem(
        "Link health",
        reverse("linkhealth_report"),
        name="link-health",
        icon_name="link",
        order=1300,
    )


class LinkHealthPanel(Component):
    name = "link_health"
    template_name = "linkhealth/link_health_panel.html"
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


@hooks.register("before_edit_page")
def warn_about_broken_links(request, page):
    """On opening a compilation or one of its sections, name the entries whose links the last
    check found broken."""
    if request.method != "GET" or not isinstance(
        page.specific_deferred, (CompilationPage, CompilationSectionPage)
    ):
        return None
    draft = page.specific.get_latest_revision_as_object()
    where = {}
    for section in outline.sections(entries_outline(draft)):
        for entry in section.entries:
            if entry.kind == "link":
                where.setdefault(entry.url.split("#")[0], []).append(section.heading)
    broken = list(LinkCheck.objects.broken().filter(url__in=where).order_by("url"))
    if not broken:
        return None
    # One line: each entry is marked where it sits (static/js/admin-compilation.js), so the
    # banner names the sections, not every URL, and does not push the form down the page.
    sections = list(dict.fromkeys(heading for link in broken for heading in where[link.url]))
    named = ", ".join(sections[:WARN_AT_MOST]) + (
        " and more" if len(sections) > WARN_AT_MOST else ""
    )
    messages.warning(
        request,
        f"{len(broken)} entr{'y links' if len(broken) == 1 else 'ies link'} to a broken URL, "
        f"in {named}: each is marked on its entry.",
        buttons=[messages.button(reverse("linkhealth_report"), "Open the link report")],
    )
    return None

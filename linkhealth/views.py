"""Admin views for link health: the link report (a Wagtail report) and starting a check."""

import datetime

import django_filters
from django.contrib import messages as django_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from blog import outline

from .checker import pages_using
from .models import BROKEN, LinkCheck, LinkCheckRun, Outcome
from .tasks import check_links_task, check_waiting

EDITOR_PERMISSIONS = ["add", "change", "publish"]
REPORTED = [*BROKEN, Outcome.REDIRECT]
RUNNING_MESSAGE = "A link check is already running; this report shows its progress."
STARTING_KEY = "linkhealth:starting"


def can_see_link_health(user):
    return policy_registry.get_by_type(Page).user_has_any_permission(user, EDITOR_PERMISSIONS)


def _host_choices():
    hosts = LinkCheck.objects.in_use().filter(outcome__in=REPORTED).values_list("host", flat=True)
    return [(host, host) for host in sorted(set(hosts))]


class LinkReportFilterSet(WagtailFilterSet):
    problem = django_filters.ChoiceFilter(
        label="Problem",
        choices=[("broken", "Broken"), ("redirect", "Redirected")],
        method="filter_problem",
        empty_label="Broken or redirected",
    )
    outcome = django_filters.ChoiceFilter(
        label="Outcome", choices=[(value, Outcome(value).label) for value in REPORTED]
    )
    host = django_filters.ChoiceFilter(label="Host", choices=_host_choices)
    page = django_filters.ModelChoiceFilter(
        label="Used on",
        field_name="uses__page",
        queryset=lambda request: Page.objects.filter(
            pk__in=LinkCheck.objects.filter(outcome__in=REPORTED).values("uses__page")
        ).order_by("title"),
        distinct=True,
    )

    class Meta:
        model = LinkCheck
        fields = ["problem", "outcome", "host", "page"]

    def filter_problem(self, queryset, name, value):
        if value == "broken":
            return queryset.filter(outcome__in=BROKEN)
        if value == "redirect":
            return queryset.filter(outcome=Outcome.REDIRECT)
        return queryset


class UsesColumn(Column):
    cell_template_name = "linkhealth/link_uses_cell.html"


class ResultColumn(Column):
    cell_template_name = "linkhealth/link_result_cell.html"


class LinkReportView(ReportView):
    page_title = "Link health"
    header_icon = "link"
    template_name = "linkhealth/link_report.html"
    index_url_name = "linkhealth_report"
    index_results_url_name = "linkhealth_report_results"
    filterset_class = LinkReportFilterSet
    any_permission_required = EDITOR_PERMISSIONS
    default_ordering = "url"
    columns = [
        Column("url", label="URL", sort_key="url"),
        ResultColumn("result", label="Result", sort_key="outcome"),
        UsesColumn("uses_here", label="Used on"),
        DateColumn("checked_at", label="Checked", sort_key="checked_at"),
    ]
    list_export = [
        "url",
        "outcome_label",
        "status_code",
        "error",
        "final_url",
        "response_ms",
        "checked_at",
        "used_on",
    ]
    export_headings = {
        "url": "URL",
        "outcome_label": "Outcome",
        "status_code": "Status",
        "error": "Error",
        "final_url": "Final URL",
        "response_ms": "Response time (ms)",
        "checked_at": "Checked at",
        "used_on": "Used on",
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    def get_filename(self):
        return f"link-health-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = LinkCheck.objects.in_use().filter(outcome__in=REPORTED)
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        links = list(object_list)
        uses = pages_using(links)
        for link in links:
            link.uses_here = uses.get(link.pk, [])
            link.outcome_label = link.get_outcome_display()
            link.used_on = "; ".join(
                f"{use.page.title}#{use.anchor}" if use.anchor else use.page.title
                for use in link.uses_here
            )
        return links

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["last_run"] = LinkCheckRun.objects.first()
        context["broken_count"] = LinkCheck.objects.in_use().broken().count()
        context["start_url"] = reverse("linkhealth_check_start")
        context["check_waiting"] = check_waiting()
        return context


@require_POST
def start_link_check(request):
    """Queue the check as a task (the worker runs it); with the immediate backend it runs here and
    the result is known at once."""
    if not can_see_link_health(request.user):
        raise PermissionDenied
    report = reverse("linkhealth_report")
    # Two clicks at once: only one of them looks and queues (every host shares the cache).
    if not cache.add(STARTING_KEY, 1, 30):
        messages.warning(request, RUNNING_MESSAGE)
        return redirect(report)
    try:
        if LinkCheckRun.objects.in_progress().exists() or check_waiting():
            messages.warning(request, RUNNING_MESSAGE)
            return redirect(report)
        result = check_links_task.enqueue()
    finally:
        cache.delete(STARTING_KEY)
    if result.status == TaskResultStatus.SUCCESSFUL:
        value = result.return_value
        if value.get("already_running"):
            messages.warning(request, RUNNING_MESSAGE)
        else:
            messages.success(
                request,
                f"Checked {value['checked']} links: {value['broken']} broken.",
            )
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, "The link check failed; see the server log for the error.")
    else:
        django_messages.info(
            request,
            "The link check is queued and runs in the background; reload this report to follow "
            "its progress.",
        )
    return redirect(report)


def entries_outline(page):
    """The raw section blocks whose entries a page's editor shows: a compilation's body, or a
    section page as its one section."""
    if hasattr(page, "as_block"):
        return [page.as_block()]
    return getattr(getattr(page, "body", None), "raw_data", None) or []


def page_link_status(request, page_id):
    """JSON for the page editor: the broken and redirected URLs among a page's link entries
    (its latest revision), so the editor can mark each entry where it sits."""
    if not can_see_link_health(request.user):
        raise PermissionDenied
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    raw = entries_outline(page.specific.get_latest_revision_as_object())
    urls = {
        entry.url.split("#")[0]
        for section in outline.sections(raw)
        for entry in section.entries
        if entry.kind == "link" and entry.url
    }
    checks = LinkCheck.objects.filter(url__in=urls, outcome__in=REPORTED)
    return JsonResponse(
        {
            "links": {
                check.url: {
                    "broken": check.outcome in BROKEN,
                    "label": check.get_outcome_display(),
                    "result": check.result,
                }
                for check in checks
            }
        }
    )

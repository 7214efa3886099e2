"""The version freshness report in the admin, and refreshing it from the package index."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .index import report_rows
from .models import PackageRelease
from .tasks import refresh_versions_task

EDITOR_PERMISSIONS = ["add", "change", "publish"]


def can_see_freshness(user):
    return policy_registry.get_by_type(Page).user_has_any_permission(user, EDITOR_PERMISSIONS)


class FreshnessReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Version freshness"
    header_icon = "history"
    template_name = "freshness/report.html"
    _show_breadcrumbs = True
    breadcrumbs_items = [{"url": "", "label": "Version freshness"}]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_freshness(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = report_rows()
        last = PackageRelease.objects.exclude(fetched_at=None).order_by("-fetched_at").first()
        return super().get_context_data(
            rows=rows,
            behind_count=sum(1 for row in rows if row.behind),
            last_fetched=last.fetched_at if last else None,
            **kwargs,
        )


@require_POST
def refresh_versions(request):
    if not can_see_freshness(request.user):
        raise PermissionDenied
    result = refresh_versions_task.enqueue(force=True)
    if result.is_finished:
        messages.success(request, "Asked the package index for the newest releases.")
    else:
        messages.success(
            request,
            "Queued: the task worker asks the package index for the newest releases; reload "
            "this report in a moment.",
        )
    return redirect("freshness_report")

"""Admin report: the searches that found nothing, most recent first (superusers only, like
Wagtail's own "Search terms" report of popular searches)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView

from .models import ZeroResultQuery


class ZeroResultReportView(ReportView):
    page_title = "Searches with no results"
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-last_searched_at"
    index_url_name = "search_zero_results"
    index_results_url_name = "search_zero_results_results"
    columns = [
        Column("query_string", label="Search terms", sort_key="query_string"),
        NumberColumn("hits", label="Searches", sort_key="hits"),
        DateColumn("last_searched_at", label="Last searched", sort_key="last_searched_at"),
    ]
    list_export = ["query_string", "hits", "first_searched_at", "last_searched_at"]

    def get_base_queryset(self):
        return ZeroResultQuery.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "reports/search-no-results/",
            ZeroResultReportView.as_view(),
            name="search_zero_results",
        ),
        path(
            "reports/search-no-results/results/",
            ZeroResultReportView.as_view(results_only=True),
            name="search_zero_results_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_zero_results_menu_item():
    return AdminOnlyMenuItem(
        "Searches with no results",
        reverse("search_zero_results"),
        name="search-no-results",
        icon_name="search",
        order=1310,
    )

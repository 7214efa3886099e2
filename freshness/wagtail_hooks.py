"""Version freshness in the admin: the report's URLs and its Reports menu item."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import FreshnessReportView, can_see_freshness, refresh_versions


@hooks.register("register_admin_urls")
def register_freshness_urls():
    return [
        path("reports/freshness/", FreshnessReportView.as_view(), name="freshness_report"),
        path("reports/freshness/refresh/", refresh_versions, name="freshness_refresh"),
    ]


class FreshnessMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_freshness(request.user)


@hooks.register("register_reports_menu_item")
def register_freshness_menu_item():
    return FreshnessMenuItem(
        "Version freshness",
        reverse("freshness_report"),
        name="version-freshness",
        icon_name="history",
        order=1310,
    )

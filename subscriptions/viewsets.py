"""Subscribers in the admin: listed, filtered, exported (CSV, XLSX) and deleted, by those holding
the model's view and delete permissions (administrators); never added or edited there, since a
subscription needs its owner's confirmation."""

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Subscriber


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_order = 800
    add_to_settings_menu = True
    list_display = ["email", "frequency", "confirmed_at", "created_at"]
    list_filter = ["frequency", "confirmed_at"]
    list_export = ["email", "frequency", "confirmed_at", "created_at"]
    export_filename = "subscribers"
    search_fields = ["email"]
    form_fields = ["frequency"]
    inspect_view_enabled = True
    inspect_view_fields = ["email", "frequency", "created_at", "confirmed_at", "since"]


subscriber_viewset = SubscriberViewSet("subscribers")

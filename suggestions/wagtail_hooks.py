"""Readers' suggestions in the admin (the queue and the dashboard panel) and on the site (the
compilation's suggest/ sub-page)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import Suggestion
from .queue import SuggestionViewSet
from .views import serve_subpages


class SuggestionsPanel(Component):
    name = "suggestions"
    template_name = "suggestions/admin/panel.html"
    order = 140

    def get_context_data(self, parent_context):
        return {"waiting": Suggestion.objects.waiting().count()}


def add_suggestions_panel(request, panels):
    if request.user.has_perm("suggestions.change_suggestion"):
        panels.append(SuggestionsPanel())


@hooks.register("register_admin_viewset")
def register_suggestion_queue():
    return SuggestionViewSet()


hooks.register("construct_homepage_panels", add_suggestions_panel)
# <compilation>/suggest/ is routed by CompilationPage.route; this answers it, inside Wagtail's
# view-restriction check, like the changes app's sub-pages.
hooks.register("on_serve_page", serve_subpages, order=100)

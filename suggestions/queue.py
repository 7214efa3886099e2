"""The editors' moderation queue: a Wagtail ModelViewSet listing suggestions (filters by status
and compilation, counts per status), a review page per suggestion, and its three decisions."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from blog.models import CompilationPage

from . import decisions
from .forms import RejectForm
from .models import Status, Suggestion


class SuggestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=Status.choices)
    compilation = django_filters.ModelChoiceFilter(
        label="Compilation", queryset=CompilationPage.objects.order_by("title")
    )

    class Meta:
        model = Suggestion
        fields = ["status", "compilation"]


class SuggestionIndexView(IndexView):
    """The queue, newest first; each row opens the review page, where the decisions are."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("compilation")

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                "Review",
                url=reverse("suggestions:edit", args=(instance.pk,)),
                icon_name="view",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = Suggestion.objects.counts()
        context["status_counts"] = [(Status(value).label, counts[value]) for value in counts]
        return context


class SuggestionViewSet(ModelViewSet):
    model = Suggestion
    icon = "comment"
    menu_label = "Suggestions"
    menu_name = "suggestions"
    name = "suggestions"
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = SuggestionIndexView
    index_template_name = "suggestions/admin/index.html"
    filterset_class = SuggestionFilterSet
    list_display = [
        "title",
        Column("compilation", label="Compilation", accessor="compilation"),
        Column("section_heading", label="Section"),
        Column("status", label="Status", accessor="get_status_display"),
        DateColumn("created", label="Suggested"),
    ]
    search_fields = ["title", "url", "annotation"]
    search_backend_name = None  # the database, not the search index: suggestions are not indexed
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        # Suggestions come from readers, so nobody adds, edits or deletes one by hand.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "delete_url_name": None,
        }

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            # "edit" is the review page: Wagtail's listings and admin URL finder link there.
            path("<int:pk>/", review, name="edit"),
            path("<int:pk>/accept/", accept, name="accept"),
            path("<int:pk>/reject/", reject, name="reject"),
            path("<int:pk>/duplicate/", mark_duplicate, name="duplicate"),
        ]


def _suggestion_for(request, pk):
    suggestion = get_object_or_404(Suggestion.objects.select_related("compilation"), pk=pk)
    if not decisions.can_decide(request.user, suggestion.compilation):
        raise PermissionDenied
    return suggestion


def review(request, pk, reject_form=None):
    suggestion = _suggestion_for(request, pk)
    return TemplateResponse(
        request,
        "suggestions/admin/review.html",
        {
            "suggestion": suggestion,
            "reject_form": reject_form or RejectForm(),
            "already_listed": decisions.is_duplicate(suggestion.compilation, suggestion.url),
            "index_url": reverse("suggestions:index"),
            "header_title": f"Suggestion: {suggestion.title}",
        },
        status=400 if reject_form is not None else 200,
    )


def _carry_out(request, suggestion, decide, refused, done, *then):
    """Run one decision: on success say `done` and go to `then` (a URL name and its arguments);
    a refusal (decided already, section gone, page locked) goes back to the suggestion."""
    try:
        decide()
    except decisions.CannotAccept as refusal:
        messages.error(request, f"{refused}: {refusal}")
        return redirect("suggestions:edit", suggestion.pk)
    messages.success(request, done)
    return redirect(*then)


@require_POST
def accept(request, pk):
    suggestion = _suggestion_for(request, pk)
    # The editor lands on the section's draft, ready to check and publish.
    done = format_html(
        "“{}” is in a new draft of “{}”, at the end of its section “{}”. Check it and publish.",
        suggestion.title,
        suggestion.compilation.title,
        suggestion.section_heading,
    )
    accepted = []
    response = _carry_out(
        request,
        suggestion,
        lambda: accepted.append(decisions.accept(suggestion, request.user)),
        "Not accepted",
        done,
        "wagtailadmin_pages:edit",
        suggestion.compilation_id,
    )
    if accepted:
        return redirect("wagtailadmin_pages:edit", accepted[0].object_id)
    return response


@require_POST
def reject(request, pk):
    suggestion = _suggestion_for(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return review(request, pk, reject_form=form)
    return _carry_out(
        request,
        suggestion,
        lambda: decisions.reject(suggestion, request.user, form.cleaned_data["reason"]),
        "Not rejected",
        f"“{suggestion.title}” was rejected.",
        "suggestions:index",
    )


@require_POST
def mark_duplicate(request, pk):
    suggestion = _suggestion_for(request, pk)
    return _carry_out(
        request,
        suggestion,
        lambda: decisions.mark_duplicate(suggestion, request.user),
        "Not marked",
        f"“{suggestion.title}” was marked as a duplicate.",
        "suggestions:index",
    )

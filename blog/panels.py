"""The compilation editor's read-only list of its sections, each edited as a page of its own."""

import functools

from django.urls import reverse
from wagtail.admin import compare
from wagtail.admin.panels import Panel
from wagtail.models import Revision

from .outline import revision_stream


class SectionsPanel(Panel):
    """The compilation's sections in reading order: heading (to its editor), entries, reviewed
    date and status as of each section's latest version, and the button that adds one.

    In the revision compare it stands for the assembled body, so a compilation's history shows
    the sections and entries each publish changed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/sections.html"

        def get_comparison(self):
            field = self.panel.model._meta.get_field("body")
            comparison_class = compare.comparison_class_registry.get(field)
            return [functools.partial(comparison_class, field)] if comparison_class else []

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page.pk)
            if not page.pk:
                return context
            # Each one's status asks whether it is scheduled or in moderation: answered for all
            # at once.
            sections = list(
                page.section_pages(live=False)
                .annotate_approved_schedule()
                .prefetch_workflow_states()
            )
            # The latest revision of each, in one query: a draft's entries and reviewed date.
            latest = {
                revision.pk: revision.content
                for revision in Revision.objects.filter(
                    pk__in=[s.latest_revision_id for s in sections if s.latest_revision_id]
                ).only("content")
            }
            context["sections"] = []
            for section in sections:
                content = latest.get(section.latest_revision_id)
                if content is None:
                    entries = list(section.entries.raw_data)
                    reviewed = section.reviewed.isoformat() if section.reviewed else ""
                else:
                    entries = revision_stream(content, "entries")
                    reviewed = content.get("reviewed") or ""
                context["sections"].append(
                    {
                        "heading": section.draft_title or section.title,
                        "anchor": section.slug,
                        "edit_url": reverse("wagtailadmin_pages:edit", args=[section.pk]),
                        "entry_count": len(entries),
                        "reviewed": reviewed,
                        "status": section.status_string,
                    }
                )
            context["add_url"] = reverse(
                "wagtailadmin_pages:add", args=["blog", "compilationsectionpage", page.pk]
            )
            return context

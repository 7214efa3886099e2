"""Admin edit forms of the page types that need more than their model's fields."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

# The most a note on a publish may say (changes.models.PublishNote).
CHANGE_NOTE_MAX = 280


class CompilationPageForm(WagtailAdminPageForm):
    # Not a model field: the changes app keeps it with the revision it is published with.
    change_note = forms.CharField(
        required=False,
        max_length=CHANGE_NOTE_MAX,
        label="Note for readers",
        help_text=(
            "Optional: one or two sentences on why, shown with this publish's changes on "
            "“What changed” and in its feed. Each publish has its own; saved when you publish."
        ),
    )


class CompilationSectionPageForm(CompilationPageForm):
    """A section's edit form: its note for readers goes with the compilation's publish that
    the section's publish makes (blog/sections.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefetch_parents(self.initial.get("entries"))


def prefetch_parents(entries):
    """Give the chosen posts of a section's entries their parent page, fetched in one query:
    the page chooser asks each chosen page for its parent, a query per entry otherwise."""
    if not entries:
        return
    pages = [
        child.value.get("page")
        for child in entries
        if child.block_type == "post" and child.value.get("page") is not None
    ]
    paths = {page.path[: -page.steplen] for page in pages}
    parents = {parent.path: parent for parent in Page.objects.filter(path__in=paths)}
    for page in pages:
        page._cached_parent_obj = parents.get(page.path[: -page.steplen])

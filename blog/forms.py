"""Admin edit forms of the page types that need more than their model's fields."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

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

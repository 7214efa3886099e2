"""The editor's note on a publish, taken from the compilation's edit form."""

from blog.models import CompilationPage, CompilationSectionPage

from .models import NOTE_MAX, PublishNote

# The edit form's field for it (blog.forms.CompilationPageForm).
FIELD = "change_note"


def keep_publish_note(request, page):
    """Before a compilation is published from its edit form, attach the note written there to
    the revision being published: stored before the publish changes the content version, so
    the changes page never shows the publish without its note."""
    text = " ".join((request.POST.get(FIELD) or "").split())[:NOTE_MAX]
    revision_id = getattr(page, "latest_revision_id", None)
    if text and revision_id and isinstance(page, (CompilationPage, CompilationSectionPage)):
        PublishNote.objects.update_or_create(revision_id=revision_id, defaults={"text": text})


def carry_section_note(sender, revision, section_revision=None, **kwargs):
    """A section's publish is published on its compilation (blog.sections): the note written
    on the section's form goes with the compilation's revision, where the log reads it."""
    note = (
        PublishNote.objects.filter(revision=section_revision).first() if section_revision else None
    )
    if note is not None:
        PublishNote.objects.update_or_create(revision=revision, defaults={"text": note.text})

from django.db import models

from blog.forms import CHANGE_NOTE_MAX as NOTE_MAX


class PublishNote(models.Model):
    """An editor's short public note on one publish of a compilation, shown with its changes.

    Kept apart from the page so that it belongs to the one revision it was published with, and
    the next publish starts with none.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="publish_note"
    )
    text = models.CharField(max_length=NOTE_MAX)

    def __str__(self):
        return self.text

"""A reader's suggestion of a link for a compilation, waiting for an editor's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

URL_MAX = 2000
TITLE_MAX = 200
ANNOTATION_MAX = 140  # with " (suggested by <name>)" it fits the entry's 200 characters
EMAIL_MAX = 254
CREDIT_MAX = 40
REASON_MAX = 500


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class SuggestionQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=Status.NEW)

    def counts(self):
        """{status: number} for every status, zeros included, in one query."""
        found = dict(self.order_by().values_list("status").annotate(n=models.Count("pk")))
        return {status: found.get(status, 0) for status in Status.values}


class Suggestion(models.Model):
    compilation = models.ForeignKey(
        "blog.CompilationPage", on_delete=models.CASCADE, related_name="suggestions"
    )
    url = models.URLField("URL", max_length=URL_MAX)
    title = models.CharField(max_length=TITLE_MAX)
    section_id = models.CharField(
        max_length=64, blank=True, help_text="The stored id of the section it was proposed for."
    )
    section_heading = models.CharField(max_length=120, help_text="The section, as readers saw it.")
    annotation = models.CharField(max_length=ANNOTATION_MAX)
    email = models.EmailField(
        max_length=EMAIL_MAX,
        blank=True,
        help_text="Where to tell the reader what was decided; shown only in the admin.",
    )
    credit_name = models.CharField(
        max_length=CREDIT_MAX,
        blank=True,
        help_text="The name the reader asked to be credited with in the entry; blank: no credit.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    reason = models.TextField(
        max_length=REASON_MAX, blank=True, help_text="Why it was rejected; sent to the reader."
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_decided(self):
        return self.status != Status.NEW

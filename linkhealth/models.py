"""Link health: the last check of each outside URL the site links to, and where it is used.

Filled by `manage.py check_links` (linkhealth/checker.py) and read by the admin report. The
tables keep the names they were created with (`blog_*`), so existing databases upgrade in place.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("OK")
    REDIRECT = "redirect", _("Redirected")
    CLIENT_ERROR = "client_error", _("Client error (4xx)")
    SERVER_ERROR = "server_error", _("Server error (5xx)")
    TIMEOUT = "timeout", _("Timed out")
    DNS = "dns", _("Host not found")
    CONNECTION = "connection", _("Connection failed")
    TOO_MANY_REDIRECTS = "redirect_loop", _("Too many redirects")


BROKEN = (
    Outcome.CLIENT_ERROR,
    Outcome.SERVER_ERROR,
    Outcome.TIMEOUT,
    Outcome.DNS,
    Outcome.CONNECTION,
    Outcome.TOO_MANY_REDIRECTS,
)


class LinkCheckQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(outcome__in=BROKEN)

    def in_use(self):
        """URLs that some page still links to (a URL removed from every page stays stored)."""
        return self.filter(uses__isnull=False).distinct()


class LinkCheck(models.Model):
    url = models.URLField(max_length=2000, unique=True)
    host = models.CharField(max_length=255, db_index=True, help_text="The URL's host name.")
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.UNCHECKED, db_index=True
    )
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The HTTP status of the last response, if any."
    )
    final_url = models.URLField(
        max_length=2000, blank=True, help_text="Where the redirects ended, when there were any."
    )
    redirects = models.JSONField(
        default=list, blank=True, help_text="Each redirect followed: status and location."
    )
    method = models.CharField(max_length=4, blank=True, help_text="HEAD, or GET when HEAD failed.")
    error = models.TextField(blank=True, help_text="Why the check failed, in words.")
    response_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="Time to the final response, in milliseconds."
    )
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        db_table = "blog_linkcheck"
        ordering = ["url"]
        verbose_name = "link check"

    def __str__(self):
        return self.url

    @property
    def is_broken(self):
        return self.outcome in BROKEN

    @property
    def result(self):
        """A short reading of the outcome for people: '404', 'timed out after 5s', '301 → …'."""
        if self.outcome == Outcome.UNCHECKED:
            return "not checked yet"
        if self.error:
            return self.error
        if self.outcome == Outcome.REDIRECT:
            return f"{self.status_code} after {len(self.redirects)} redirect(s) → {self.final_url}"
        return str(self.status_code)


class LinkUse(models.Model):
    """One place a page links to a URL: the page, the section it sits in and the kind of link."""

    link = models.ForeignKey(LinkCheck, on_delete=models.CASCADE, related_name="uses")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    anchor = models.CharField(max_length=120, blank=True, help_text="The section's #fragment.")
    section = models.CharField(max_length=255, blank=True, help_text="The section's heading.")
    kind = models.CharField(max_length=40, help_text="Entry, further reading, Markdown, …")
    text = models.CharField(max_length=255, blank=True, help_text="The link's title or text.")

    class Meta:
        db_table = "blog_linkuse"
        ordering = ["page_id", "id"]
        indexes = [models.Index(fields=["page"], name="linkuse_page_idx")]

    def __str__(self):
        return f"link {self.link_id} on page {self.page_id}#{self.anchor}"


def runs_dead_before():
    """A run still marked running but started before this died mid-way (its worker or its
    request was killed): no run lasts twice the longest a run may take."""
    return timezone.now() - timedelta(seconds=2 * settings.LINKHEALTH_MAX_RUN_SECONDS + 60)


class LinkCheckRunQuerySet(models.QuerySet):
    def in_progress(self):
        """The run going now, if any: marked running and started recently enough to be alive."""
        return self.filter(running=True, started_at__gte=runs_dead_before())


class LinkCheckRun(models.Model):
    """One run of the checker, for the report's "last checked" line and the dashboard."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=20, help_text="command or admin")
    checked = models.PositiveIntegerField(default=0)
    broken = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="URLs per outcome.")
    total = models.PositiveIntegerField(default=0, help_text="URLs this run set out to check.")
    # True while the run is going, NULL after: the unique constraint lets one run go at a time.
    running = models.BooleanField(null=True, blank=True, default=None, editable=False)

    objects = LinkCheckRunQuerySet.as_manager()

    class Meta:
        db_table = "blog_linkcheckrun"
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        constraints = [models.UniqueConstraint(fields=["running"], name="linkcheckrun_one_running")]

    def __str__(self):
        return f"Link check {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self):
        return bool(self.running) and self.started_at >= runs_dead_before()

    @property
    def died(self):
        return bool(self.running) and not self.in_progress

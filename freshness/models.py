"""The newest release of each package the site's applies-to labels name, as the package index
last reported it (filled by freshness.index.refresh, read by the freshness report)."""

from django.db import models


class PackageRelease(models.Model):
    package = models.CharField(max_length=100, unique=True, help_text="The package index's name.")
    newest = models.CharField(
        max_length=50, blank=True, help_text="The newest release, as the index reported it."
    )
    error = models.CharField(
        max_length=300, blank=True, help_text="Why the last fetch failed, in words."
    )
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["package"]
        verbose_name = "package release"

    def __str__(self):
        return f"{self.package} {self.newest or '?'}"

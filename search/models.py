"""The log of searches that found nothing, for editors (popular searches are Wagtail's own)."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class ZeroResultQuery(models.Model):
    query_string = models.CharField(max_length=255, unique=True)
    hits = models.PositiveIntegerField(default=0)
    first_searched_at = models.DateTimeField(default=timezone.now)
    last_searched_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "search with no results"
        verbose_name_plural = "searches with no results"
        ordering = ["-last_searched_at"]

    def __str__(self):
        return self.query_string

    @classmethod
    def record(cls, query_string):
        """Count one more search for `query_string` that found nothing."""
        now = timezone.now()
        entry, created = cls.objects.get_or_create(
            query_string=query_string[:255], defaults={"hits": 1}
        )
        if not created:
            cls.objects.filter(pk=entry.pk).update(hits=F("hits") + 1, last_searched_at=now)

"""The log of searches that found nothing, for editors (popular searches are Wagtail's own)."""

import datetime

from django.db import models
from django.db.models import F
from django.utils import timezone

# What the log keeps of a reader's text, how long, and how many distinct searches at most: it is
# shown to editors and written on reader's requests, so it must not grow without bound.
MAX_LOGGED_CHARS = 100
KEPT_DAYS = 90
MAX_ROWS = 5000


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
        """Count one more search for `query_string` that found nothing.

        The same text is counted on one row. A new row drops those not searched for KEPT_DAYS,
        and the least recently searched beyond MAX_ROWS.
        """
        now = timezone.now()
        entry, created = cls.objects.get_or_create(
            query_string=query_string[:MAX_LOGGED_CHARS], defaults={"hits": 1}
        )
        if not created:
            cls.objects.filter(pk=entry.pk).update(hits=F("hits") + 1, last_searched_at=now)
            return
        cls.objects.filter(last_searched_at__lt=now - datetime.timedelta(days=KEPT_DAYS)).delete()
        beyond = cls.objects.order_by("-last_searched_at").values_list("pk", flat=True)[MAX_ROWS:]
        cls.objects.filter(pk__in=list(beyond)).delete()

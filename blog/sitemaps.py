"""The sitemap: every live public Wagtail page, plus the topic archives that list a post."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from .links import site_root_url
from .models import Topic, TopicPostPage


class TopicArchiveSitemap(PageSitemap):
    """/topics/<slug>/ for each topic with a live post; lastmod is its newest post's."""

    # Plain Django URL building (Wagtail's version asks each item for its page URLs).
    _urls = DjangoSitemap._urls

    def items(self):
        latest = (
            TopicPostPage.objects.readable()
            .order_by()
            .values("topic")
            .annotate(latest=Max("last_published_at"))
        )
        dates = {row["topic"]: row["latest"] for row in latest}
        topics = list(Topic.objects.filter(pk__in=dates).order_by("slug"))
        for topic in topics:
            topic.latest_post_at = dates[topic.pk]
        return topics

    def location(self, obj):
        return reverse("topic_archive", args=[obj.slug])

    def lastmod(self, obj):
        return obj.latest_post_at

    def get_urls(self, page=1, site=None, protocol=None):
        # Same host as the page URLs: the Wagtail site's, not the request's Host header.
        root = urlsplit(site_root_url(self.request))
        return super().get_urls(page, SimpleNamespace(domain=root.netloc), root.scheme)


SITEMAPS = {"pages": PageSitemap, "topics": TopicArchiveSitemap}

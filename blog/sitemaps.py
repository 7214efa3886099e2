"""The sitemap: every live public Wagtail page, plus the topic archives that list a post."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.models import Page

from translations.alternates import alternates

from .links import site_root_url
from .models import CompilationSectionPage, Topic, TopicPostPage


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


class TranslatedPageSitemap(PageSitemap):
    """Every live public page of the site in every language, each with `xhtml:link` alternates
    naming its versions in the other languages (and x-default, the first of LANGUAGES)."""

    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        trees = Q()
        for home in homes:
            trees |= Page.objects.descendant_of_q(home, inclusive=True)
        return (
            Page.objects.filter(trees)
            .not_type(CompilationSectionPage)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        # Wagtail's own loop, with each page's alternates added to its URLs.
        urls, last_mods = [], set()
        for item in self.paginator.page(page).object_list.iterator():
            versions = alternates(item, self.request)
            links = [
                {"lang_code": version["code"], "location": version["full_url"]}
                for version in versions
            ]
            if versions:
                links.append({"lang_code": "x-default", "location": versions[0]["full_url"]})
            for url in item.get_sitemap_urls(self.request):
                urls.append({**url, "alternates": links})
                last_mods.add(url.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


SITEMAPS = {"pages": TranslatedPageSitemap, "topics": TopicArchiveSitemap}

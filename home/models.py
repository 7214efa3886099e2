"""The home page: an introduction, the featured compilation and the latest posts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from blog import outline
from blog.fragments import is_preview, light_page, render_fragments, site_key
from blog.models import CompilationPage, TopicPostPage, topics_in_reader_language
from blog.rendering import markdown_to_html
from blog.serializers import PageMethodField
from serving import content_version

LATEST_POSTS = 6


class HomePage(Page):
    intro = models.TextField(blank=True, help_text="Markdown: a few sentences welcoming readers.")
    featured_compilation = models.ForeignKey(
        "blog.CompilationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The compilation shown first on the home page.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_compilation"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("intro_html", serializer=PageMethodField("api_intro_html")),
        APIField("featured_compilation", serializer=PageMethodField("api_featured")),
        APIField("latest_posts", serializer=PageMethodField("api_latest_posts")),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.CompilationPage", "blog.TopicIndexPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if is_preview(request):
            # A preview shows the editor's unsaved intro and choice of compilation.
            context.update(self._render(request))
        else:
            key = f"home:page:{self.pk}:{site_key(request)}"
            context.update(
                content_version.cached(key, lambda: self._render(request), request=request)
            )
        return context

    def _render(self, request):
        context = super().get_context(request)
        context.update(intro_html=markdown_to_html(self.intro), **self.showcase(request))
        return render_fragments("includes/home_content.html", context)

    def api_intro_html(self, request):
        return markdown_to_html(self.intro)

    def api_featured(self, request):
        """The featured compilation as the home page shows it: id, title, summary, URLs and
        its sections' headings and anchors; None when there is none readers may see."""
        showcase = self.showcase(request)
        featured = showcase["featured"]
        if featured is None:
            return None
        return {
            "id": featured.pk,
            "title": featured.title,
            "summary": featured.summary,
            "url": featured.get_url(request),
            "full_url": featured.get_full_url(request),
            "sections": showcase["featured_sections"],
        }

    def api_latest_posts(self, request):
        """The latest posts as the home page lists them."""
        return [
            {
                "id": post.pk,
                "title": post.title,
                "summary": post.summary,
                "date": post.date.isoformat(),
                "topic": {"name": post.topic.name, "slug": post.topic.slug},
                "url": post.get_url(request),
                "full_url": post.get_full_url(request),
            }
            for post in self.showcase(request)["latest_posts"]
        ]

    def posts(self):
        """The posts under this home page; a translated home page (served in another language
        than the default) also lists the default language's posts, which may stay untranslated."""
        if translation.get_language() == settings.LANGUAGE_CODE:
            return TopicPostPage.objects.descendant_of(self)
        trees = Q()
        for home in HomePage.objects.filter(translation_key=self.translation_key):
            trees |= TopicPostPage.objects.descendant_of_q(home)
        # Each post once: its translation when it has one.
        return TopicPostPage.objects.filter(trees).in_reader_language()

    def showcase(self, request):
        """The featured compilation, its sections and the latest posts, kept per content version."""
        key = f"home:showcase:{self.pk}:{self.featured_compilation_id}"
        return content_version.cached(key, self._build_showcase, request=request)

    def _build_showcase(self):
        compilation = (
            CompilationPage.objects.readable().filter(pk=self.featured_compilation_id).first()
            if self.featured_compilation_id
            else None
        )
        if compilation is not None and compilation.locale_id != self.locale_id:
            # A translated home page features the compilation's translation into its language
            # when readers can see one (wagtail-localize copies the chosen page as it is).
            compilation = (
                CompilationPage.objects.readable()
                .filter(translation_key=compilation.translation_key, locale_id=self.locale_id)
                .first()
                or compilation
            )
        featured, sections = None, []
        if compilation is not None:
            sections = [
                {"heading": section.heading, "anchor": section.anchor}
                for section in outline.sections(compilation.body.raw_data)
            ]
            # What the template shows, without the body: small to keep in the cache.
            featured = light_page(compilation, summary=compilation.summary)
        latest = topics_in_reader_language(list(self.posts().cards()[:LATEST_POSTS]))
        return {"featured": featured, "featured_sections": sections, "latest_posts": latest}

"""The home page: an introduction, the featured compilation and the latest posts."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from blog.blocks import markdown_to_html
from blog.models import CompilationPage, TopicPostPage, section_anchor

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
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.CompilationPage", "blog.TopicIndexPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = (
            CompilationPage.objects.live().public().filter(pk=self.featured_compilation_id).first()
            if self.featured_compilation_id
            else None
        )
        sections = []
        if featured is not None:
            for section in featured.body.raw_data:
                value = section.get("value") or {}
                anchor = section_anchor(value.get("heading"), value.get("anchor"))
                sections.append({"heading": value.get("heading"), "anchor": anchor})
        latest = (
            TopicPostPage.objects.live()
            .public()
            .descendant_of(self)
            .defer_streamfields()
            .select_related("topic")
            .order_by("-date", "-pk")[:LATEST_POSTS]
        )
        context.update(
            intro_html=markdown_to_html(self.intro),
            featured=featured,
            featured_sections=sections,
            latest_posts=latest,
        )
        return context

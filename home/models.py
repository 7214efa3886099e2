"""The home page: an introduction, the featured compilation and the latest posts."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from blog.blocks import markdown_to_html
from blog.models import (
    CompilationPage,
    TopicPostPage,
    is_preview,
    render_fragments,
    section_anchor,
    site_key,
)
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
        context.update(intro_html=markdown_to_html(self.intro), **self.showcase())
        return render_fragments("includes/home_content.html", context)

    def showcase(self):
        """The featured compilation, its sections and the latest posts, kept per content version."""
        key = f"home:showcase:{self.pk}:{self.featured_compilation_id}"
        return content_version.cached(key, self._build_showcase)

    def _build_showcase(self):
        compilation = (
            CompilationPage.objects.live().public().filter(pk=self.featured_compilation_id).first()
            if self.featured_compilation_id
            else None
        )
        featured, sections = None, []
        if compilation is not None:
            for section in compilation.body.raw_data:
                value = section.get("value") or {}
                anchor = section_anchor(value.get("heading"), value.get("anchor"))
                sections.append({"heading": value.get("heading"), "anchor": anchor})
            # What the template shows, without the body: small to keep in the cache.
            featured = Page(
                id=compilation.id,
                title=compilation.title,
                url_path=compilation.url_path,
                depth=compilation.depth,
            )
            featured.summary = compilation.summary
        latest = list(
            TopicPostPage.objects.live()
            .public()
            .descendant_of(self)
            .defer_streamfields()
            .select_related("topic")
            .order_by("-date", "-pk")[:LATEST_POSTS]
        )
        return {"featured": featured, "featured_sections": sections, "latest_posts": latest}

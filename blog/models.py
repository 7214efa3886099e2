"""The compilation, the post listing, the posts, and the snippets they share."""

import copy
import datetime
import hashlib
import json
import math
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField, TranslatableField

from serving import content_version

from . import outline
from .blocks import (
    CompilationBodyBlock,
    EntriesBlock,
    MarkdownTextarea,
    PostBodyBlock,
    normalise_newlines,
)
from .forms import CompilationPageForm, CompilationSectionPageForm
from .fragments import is_preview, light_page, render_fragments, site_key
from .links import absolute_links, site_root_url
from .panels import SectionsPanel
from .rendering import markdown_to_html
from .serializers import AuthorSerializer, PageMethodField, TopicSerializer

POSTS_PER_PAGE = 10
RELATED_POSTS = 3
WORDS_PER_MINUTE = 230
HEADING_RE = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
# Blocks stored without an id (content written as raw data: the seed of older databases,
# imports) get one derived from their place, the same on every API request.
BLOCK_ID_NAMESPACE = uuid.UUID("6f1c3a52-94a8-4c1e-9d35-0f3e8a2b7c41")


def block_id(raw, *place):
    """The block's stored id, or a stable one made from `place` (page id, positions)."""
    stored = raw.get("id") if isinstance(raw, dict) else None
    return stored or str(uuid.uuid5(BLOCK_ID_NAMESPACE, "/".join(map(str, place))))


class ReadableQuerySet(PageQuerySet):
    def readable(self):
        """The pages a reader may see: live, and outside any view-restricted section."""
        return self.live().public()


class PostQuerySet(ReadableQuerySet):
    def in_reader_language(self):
        """Each post once: in the reader's language when readers can see a version of it
        there, else in the default language (posts may stay untranslated)."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        default = Q(locale__language_code=settings.LANGUAGE_CODE)
        if language == settings.LANGUAGE_CODE:
            return self.filter(default)
        here = self.model.objects.readable().filter(locale__language_code=language)
        return self.filter(
            Q(locale__language_code=language)
            | (default & ~Q(translation_key__in=here.values("translation_key")))
        )

    def cards(self):
        """Readable posts, newest first, with only what a post card shows (topic, no body)."""
        return self.readable().defer_streamfields().select_related("topic").order_by("-date", "-pk")


def in_default_language():
    """Which topics and authors a post may point at: the default language's (their
    translations are shown in their place to readers of other languages)."""
    return models.Q(locale__language_code=settings.LANGUAGE_CODE)


class Topic(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(
        max_length=80, help_text="As readers see it, e.g. “Databases and the ORM”."
    )
    slug = models.SlugField(
        max_length=80,
        help_text="Used in /topics/<slug>/, the same in every language.",
    )
    description = models.TextField(blank=True, help_text="One or two sentences for topic pages.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]
    # The slug is the topic's address in every language (/fr/topics/<slug>/): translators
    # translate the words only.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        TranslatableField("description"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "name"], name="topic_name_per_locale"),
            models.UniqueConstraint(fields=["locale", "slug"], name="topic_slug_per_locale"),
        ]

    def __str__(self):
        return self.name


class Author(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(max_length=120, help_text="The name shown on the author's posts.")
    slug = models.SlugField(
        max_length=120, help_text="Lowercase and hyphens; used by Markdown import."
    )
    bio = models.TextField(blank=True, help_text="A sentence or two shown on the author's posts.")
    link = models.URLField(blank=True, help_text="The author's own site or profile (optional).")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio"), FieldPanel("link")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        TranslatableField("bio"),
        SynchronizedField("link"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="author_slug_per_locale"),
        ]

    def __str__(self):
        return self.name


class TopicPostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.TopicPostPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def compilation_map(request=None):
    """Which live compilation sections list which posts, read from raw StreamField data.

    Returns (featured_in, order): featured_in maps a post id to a list of dicts with the
    compilation page, section heading and anchor; order maps a compilation id to its post ids in
    reading order. Built with one query and kept under the content version (serving/), so it is
    rebuilt only after something is published; the pages in it are light copies (id, title,
    URL path) that `{% pageurl %}` can link to.
    """
    return content_version.cached("blog:compilation-map", _build_compilation_map, request=request)


def _build_compilation_map():
    featured_in, order = {}, {}
    for compilation in CompilationPage.objects.readable().order_by("path"):
        target = light_page(compilation)
        ids = []
        for section in outline.sections(compilation.body.raw_data):
            for post_id in section.post_ids():
                if post_id not in ids:
                    ids.append(post_id)
                places = featured_in.setdefault(post_id, [])
                if not any(
                    p["page"].id == target.id and p["anchor"] == section.anchor for p in places
                ):
                    places.append(
                        {
                            "page": target,
                            "heading": section.heading,
                            "anchor": section.anchor,
                            "locale_id": compilation.locale_id,
                        }
                    )
        order[compilation.id] = ids
    return featured_in, order


def reader_language():
    return translation.get_language() or settings.LANGUAGE_CODE


def snippet_translations(model, request=None):
    """{pk of a default-language topic or author: its translated words} in the reader's
    language, read once per content version and language; {} in the default language.

    Only words a translator filled in are kept, so a blank translated field shows the default
    language's words rather than nothing.
    """
    language = reader_language()
    if language == settings.LANGUAGE_CODE:
        return {}
    words = [field.field_name for field in model.translatable_fields if field.is_translated(None)]

    def build():
        sources = dict(
            model.objects.filter(in_default_language()).values_list("translation_key", "pk")
        )
        found = {}
        translated = model.objects.filter(
            locale__language_code=language, translation_key__in=list(sources)
        ).values("translation_key", *words)
        for row in translated:
            filled = {name: row[name] for name in words if row[name]}
            if filled:
                found[sources[row["translation_key"]]] = filled
        return found

    name = f"blog:{model._meta.model_name}-translations:{language}"
    return content_version.cached(name, build, request=request)


def in_reader_language(instance, translations):
    """`instance` (a default-language topic or author) as the reader sees it: a copy carrying
    its translated words where `translations` has them, the same pk and slug."""
    if instance is None or instance.pk not in translations:
        return instance
    shown = copy.copy(instance)
    for name, value in translations[instance.pk].items():
        setattr(shown, name, value)
    return shown


def topics_in_reader_language(posts, request=None):
    """`posts` with their topic in the reader's language (as loaded by `cards()`)."""
    translations = snippet_translations(Topic, request)
    if translations:
        for post in posts:
            if "topic" in post._state.fields_cache:
                post._state.fields_cache["topic"] = in_reader_language(post.topic, translations)
    return posts


def all_topics(request=None):
    """Every topic, in name order in the reader's language, read once per content version
    (listing and search filters)."""
    language = reader_language()

    def build():
        translations = snippet_translations(Topic, request)
        topics = [
            in_reader_language(topic, translations)
            for topic in Topic.objects.filter(in_default_language())
        ]
        return sorted(topics, key=lambda topic: topic.name.casefold())

    if language == settings.LANGUAGE_CODE:
        # One key for the default language, as before there were others.
        return content_version.cached(
            "blog:topics",
            lambda: list(Topic.objects.filter(in_default_language())),
            request=request,
        )
    return content_version.cached(f"blog:topics:{language}", build, request=request)


def readable_tags():
    """The tags of posts readers may see: a tag used only by drafts or restricted posts is
    unknown to readers (no archive, feed or search suggestion names it)."""
    return Tag.objects.filter(
        pk__in=TopicPostTag.objects.filter(
            content_object__in=TopicPostPage.objects.readable()
        ).values("tag_id")
    )


def find_tag(slug, request):
    """The readable tag with this slug, kept per content version once found (unknown slugs are
    not)."""
    digest = hashlib.sha256(slug.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return content_version.cached(
        f"blog:tag:{digest}", lambda: readable_tags().filter(slug=slug).first(), request=request
    )


def live_posts_in_reading_order(order, request=None):
    """{id: light page} of the live public posts the compilations list, cached like the map."""

    def build():
        ids = {pk for ids in order.values() for pk in ids}
        posts = TopicPostPage.objects.readable().only("title", "url_path", "depth")
        return {pk: light_page(post) for pk, post in posts.in_bulk(ids).items()}

    return content_version.cached("blog:reading-order-posts", build, request=request)


class CompilationPage(Page):
    summary = models.TextField(
        max_length=300, help_text="One or two sentences for listings, feeds and search engines."
    )
    intro = models.TextField(blank=True, help_text="Markdown shown above the table of contents.")
    # The published sections, assembled from the section pages below the compilation (their
    # live versions, in tree order) whenever one of them or the compilation is published: what
    # readers, the API, search, the changes log and Markdown export read. Not edited here, and
    # not translated as a field (a translation assembles its own from its translated sections).
    body = StreamField(
        CompilationBodyBlock(),
        blank=True,
        editable=False,
        help_text="Sections in reading order; each holds its text and an ordered list of entries.",
    )
    # Whether the sections live as child pages (blog.sections.split_into_sections): a
    # compilation whose editors deleted every section is not split again from its old body.
    has_section_pages = models.BooleanField(default=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        SectionsPanel(heading="Sections"),
        FieldPanel("change_note"),
    ]
    base_form_class = CompilationPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("intro"),
        APIField("intro_html", serializer=PageMethodField("api_intro_html")),
        APIField("body", serializer=PageMethodField("api_body")),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.CompilationSectionPage"]

    objects = PageManager.from_queryset(ReadableQuerySet)()

    class Meta:
        verbose_name = "Compilation"
        verbose_name_plural = "Compilations"

    def clean(self):
        super().clean()
        # One kind of line ending, so revisions compare line by line (blocks.normalise_newlines).
        self.summary = normalise_newlines(self.summary)
        self.intro = normalise_newlines(self.intro)

    def section_pages(self, live=True):
        """The section pages below this compilation in reading order (tree order)."""
        sections = CompilationSectionPage.objects.child_of(self).order_by("path")
        return sections.live() if live else sections

    def assembled_body(self, replace=None, exclude=()):
        """The body's raw data made from the live sections, in reading order; `replace` (a
        section page with unsaved changes) stands in for its live version, or joins in its
        place in the tree when it is not live; sections whose pk is in `exclude` are left out
        (one being unpublished or deleted right now)."""
        sections = [s for s in self.section_pages() if s.pk not in exclude]
        if replace is not None:
            pks = [s.pk for s in sections]
            if replace.pk in pks:
                sections[pks.index(replace.pk)] = replace
            else:
                sections.append(replace)
                sections.sort(key=lambda s: s.path or "~")
        return [section.as_block() for section in sections]

    def with_content_json(self, content):
        # The split is a fact about the tree, not a revision's: an old revision published
        # again never undoes it.
        page = super().with_content_json(content)
        page.has_section_pages = self.has_section_pages
        return page

    def save_revision(self, *args, **kwargs):
        # A draft carries the sections as they are published now, so its preview and compare
        # show them.
        if self.has_section_pages and self.pk and not getattr(self, "body_assembled", False):
            self.body = self.assembled_body()
        return super().save_revision(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        # Publishing a draft (from the editor, a moderator's approval or a schedule) never
        # brings back the sections of the day the draft was saved: the revision published
        # carries the sections' live versions, assembled now.
        if self.has_section_pages and isinstance(revision.content, dict):
            page = revision.as_object()
            page.body = self.assembled_body()
            body = page.serializable_data()["body"]
            if _loaded(revision.content.get("body")) != _loaded(body):
                revision.content["body"] = body
                revision.save(update_fields=["content"])
        return super().publish(revision, *args, **kwargs)

    # The compilation's own sub-pages: its "What changed" log and that log's Atom feed, and the
    # readers' "Suggest an entry" form.
    SUBPAGES = {
        ("changes",): "changes",
        ("changes", "feed"): "changes-feed",
        ("suggest",): "suggest",
    }

    def route(self, request, path_components):
        subpage = self.SUBPAGES.get(tuple(path_components))
        if subpage is not None and self.live:
            return RouteResult(self, args=(subpage,))
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        # The sub-pages are answered by the on_serve_page hooks of the changes and suggestions
        # apps (their wagtail_hooks.py) before this runs; without them they do not exist.
        if args:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.rendered(request))
        return context

    def api_intro_html(self, request):
        return markdown_to_html(self.intro)

    def api_body(self, request):
        """The sections for the API: each section and entry with a stable id, the section's
        text as Markdown and HTML, and each post entry with its post's title and URLs.

        Entries whose post readers cannot open (a draft, a private post) are left out, as on
        the page. The posts come from the compilation map kept per content version: no query
        per entry, nor per compilation.
        """
        _, order = compilation_map(request)
        posts = live_posts_in_reading_order(order, request)
        sections = []
        for number, raw in enumerate(self.body.raw_data):
            if raw.get("type") != "section":
                continue
            value = raw.get("value") or {}
            section_id = block_id(raw, self.pk, number)
            entries = []
            for position, entry in enumerate(value.get("entries") or []):
                kind = entry.get("type")
                fields = entry.get("value") or {}
                if kind == "post":
                    post = posts.get(fields.get("page"))
                    if post is None:
                        continue
                    shown = {
                        "page": post.pk,
                        "title": post.title,
                        "url": post.get_url(request),
                        "full_url": post.get_full_url(request),
                    }
                else:
                    shown = {key: fields.get(key) or "" for key in ("url", "title", "source")}
                shown["annotation"] = fields.get("annotation") or ""
                entries.append(
                    {"type": kind, "id": block_id(entry, section_id, position), "value": shown}
                )
            text = value.get("text") or ""
            sections.append(
                {
                    "type": "section",
                    "id": section_id,
                    "value": {
                        "heading": value.get("heading") or "",
                        "anchor": outline.section_anchor(value.get("heading"), value.get("anchor")),
                        "reviewed": value.get("reviewed"),
                        "applies_to": value.get("applies_to") or "",
                        "text": text,
                        "text_html": markdown_to_html(text),
                        "entries": entries,
                    },
                }
            )
        return sections

    def rendered(self, request):
        """The outline, the counts and the body's HTML, built once per content version.

        The key also covers this page's own text, so a preview of unsaved changes renders them.
        """
        source = json.dumps(
            [self.pk, request.get_host(), self.intro, list(self.body.raw_data)],
            sort_keys=True,
            default=str,
        )
        digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        return content_version.cached(
            f"blog:compilation:{digest}", lambda: self._render(request), request=request
        )

    def _render(self, request):
        sections = [child.value for child in self.body if child.block_type == "section"]
        # Readers see only posts they may open: live and not behind a password, login or group.
        chosen = [
            entry.value.get("page").pk
            for section in sections
            for entry in section.get("entries") or []
            if entry.block_type == "post" and entry.value.get("page") is not None
        ]
        readable = set(
            TopicPostPage.objects.readable().filter(pk__in=chosen).values_list("pk", flat=True)
        )
        self.localise_entries(sections, readable)
        live_posts = set()
        link_count = 0
        # (name, absolute URL) of every entry readers see, in reading order, for the JSON-LD.
        entries = []
        for section in sections:
            for entry in section.get("entries") or []:
                if entry.block_type == "post":
                    page = entry.value.get("page")
                    if page is not None and page.pk in readable:
                        live_posts.add(page.pk)
                        entries.append((page.title, page.get_full_url(request)))
                else:
                    link_count += 1
                    entries.append((entry.value.get("title"), entry.value.get("url")))
        body_html = self.body.render_as_block(
            context={"request": request, "page": self, "readable_post_ids": readable}
        )
        return {
            "intro_html": markdown_to_html(self.intro),
            "sections": [
                {"anchor_id": section.anchor_id(), "heading": section.get("heading")}
                for section in sections
            ],
            "post_count": len(live_posts),
            "link_count": link_count,
            "entries": entries,
            "body_html": mark_safe(body_html),  # noqa: S308 - rendered by our block templates
        }

    def localise_entries(self, sections, readable):
        """Post entries of a compilation in another language than its posts' point at the
        post's translation into that language when readers can see one, and otherwise keep
        the post, marked with its language (`other_language`) for the template.

        Nothing is asked of the database while every post shares the compilation's language.
        """
        entries = [
            entry
            for section in sections
            for entry in section.get("entries") or []
            if entry.block_type == "post" and entry.value.get("page") is not None
        ]
        foreign = [e for e in entries if e.value["page"].locale_id != self.locale_id]
        if not foreign:
            return
        keys = {entry.value["page"].translation_key for entry in foreign}
        translated = {
            post.translation_key: post
            for post in TopicPostPage.objects.readable()
            .filter(translation_key__in=keys, locale_id=self.locale_id)
            .only("title", "url_path", "depth", "translation_key", "locale_id", "live")
        }
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        for entry in foreign:
            post = translated.get(entry.value["page"].translation_key)
            if post is not None:
                entry.value["page"] = post
                readable.add(post.pk)
            else:
                entry.value["page"].other_language = languages.get(entry.value["page"].locale_id)


def _loaded(data):
    """A StreamField's revision data as a list (revisions keep it as a JSON string)."""
    return json.loads(data) if isinstance(data, str) else data


class CompilationSectionPage(Page):
    """One section of a compilation, edited on its own: its heading (the title), its anchor
    (the slug), its text and its ordered entries. Readers never see it as a page of its own:
    its live version is assembled into the compilation's body (blog/sections.py)."""

    reviewed = models.DateField(
        null=True,
        blank=True,
        # A section added today has been written today: not "not reviewed for over a year".
        default=timezone.localdate,
        help_text="When an editor last checked it.",
    )
    applies_to = models.CharField(
        max_length=80, blank=True, help_text='Versions it applies to, e.g. "Django 5.2".'
    )
    text = models.TextField(
        blank=True, help_text="Markdown: what the section covers and how to read it."
    )
    entries = StreamField(
        EntriesBlock(required=False),
        blank=True,
        help_text="Ordered: readers work through them top to bottom.",
    )

    content_panels = [
        TitleFieldPanel(
            "title", heading="Heading", help_text="Shown in the table of contents; a few words."
        ),
        FieldPanel(
            "slug",
            heading="Anchor",
            help_text="The #fragment of this section's link on the compilation.",
        ),
        FieldPanel("reviewed"),
        FieldPanel("applies_to"),
        FieldPanel("text", widget=MarkdownTextarea(attrs={"rows": 6})),
        FieldPanel("entries"),
        FieldPanel("change_note"),
    ]
    promote_panels = []
    base_form_class = CompilationSectionPageForm
    # Found through its compilation, which indexes the assembled sections.
    search_fields = []
    parent_page_types = ["blog.CompilationPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Section"
        verbose_name_plural = "Sections"

    def clean(self):
        super().clean()
        self.text = normalise_newlines(self.text)
        if self.slug in {names[0] for names in CompilationPage.SUBPAGES}:
            raise ValidationError(
                {"slug": f"“{self.slug}” is taken by the compilation's own page; choose another."}
            )

    def as_block(self):
        """This section as raw data of a compilation body's section block; its id is the
        translation key, shared with its translations and kept through every edit."""
        return {
            "type": "section",
            "id": str(self.translation_key),
            "value": {
                "heading": self.title,
                "anchor": self.slug,
                "reviewed": self.reviewed.isoformat() if self.reviewed else None,
                "applies_to": self.applies_to,
                "text": self.text,
                "entries": list(self.entries.raw_data),
            },
        }

    def compilation(self):
        return CompilationPage.objects.filter(
            path=self.path[: -self.steplen], depth=self.depth - 1
        ).first()

    def serve(self, request, *args, **kwargs):
        # The section's own address leads to its place on the compilation.
        compilation = self.compilation()
        url = compilation.get_url(request) if compilation is not None else None
        if not url or not compilation.live:
            raise Http404
        return HttpResponsePermanentRedirect(f"{url}#{self.slug}")

    def serve_preview(self, request, mode_name):
        # The whole compilation as readers would see it, this section's unsaved state in place.
        compilation = self.compilation()
        if compilation is None:
            raise Http404
        compilation.body = compilation.assembled_body(replace=self)
        return compilation.serve_preview(request, compilation.default_preview_mode)

    def get_sitemap_urls(self, request=None):
        return []


class TopicIndexPage(Page):
    intro = models.TextField(blank=True, help_text="Markdown shown above the list of posts.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("intro_html", serializer=PageMethodField("api_intro_html")),
        APIField("topics", serializer=PageMethodField("api_topics")),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.TopicPostPage"]

    objects = PageManager.from_queryset(ReadableQuerySet)()

    class Meta:
        # Editors see the listing of every post as "Posts", its children as "Post".
        verbose_name = "Posts"
        verbose_name_plural = "Post listings"

    def route(self, request, path_components):
        # Fetch the post as its own type in one query (Wagtail's default fetches the base page,
        # then its specific type); the topic comes along for the page's header.
        if not path_components:
            return super().route(request, path_components)
        post = (
            TopicPostPage.objects.child_of(self)
            .select_related("topic")
            .filter(slug=path_components[0])
            .first()
        )
        if post is None:
            raise Http404
        post._cached_parent_obj = self
        return post.route(request, path_components[1:])

    def api_intro_html(self, request):
        return markdown_to_html(self.intro)

    def api_topics(self, request):
        """Every topic with its archive and feeds: the listing's filters (its posts are
        `/api/v2/pages/?child_of=<id>&type=blog.TopicPostPage`)."""
        return [
            {
                "name": topic.name,
                "slug": topic.slug,
                "description": topic.description,
                "url": reverse("topic_archive", args=[topic.slug]),
                "feed_url": reverse("topic_feed", args=[topic.slug]),
                "atom_feed_url": reverse("topic_feed_atom", args=[topic.slug]),
            }
            for topic in all_topics(request)
        ]

    def posts(self):
        """Live public posts under this index, newest first, shaped for listings."""
        return TopicPostPage.objects.child_of(self).cards().prefetch_related("authors", "tags")

    def listed_posts(self, topic=None, tag=None):
        """The posts of the listing, of one topic and one tag when given."""
        # The cards show no authors or tags: skip fetching them.
        posts = self.posts().prefetch_related(None)
        if topic is not None:
            posts = posts.filter(topic=topic)
        if tag is not None:
            posts = posts.filter(tags=tag)
        return posts

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topic_slug = request.GET.get("topic", "")[:80]
        tag_slug = request.GET.get("tag", "")[:100]
        topics = all_topics(request)
        topic = next((t for t in topics if t.slug == topic_slug), None)
        tag = find_tag(tag_slug, request) if tag_slug else None
        filters = {
            "topics": topics,
            "topic": topic,
            "topic_slug": topic_slug,
            "tag": tag,
            "tag_slug": tag_slug,
        }
        if topic is not None and tag is None:
            # The topic's one address is its archive; this filtered listing points there.
            filters["canonical_path"] = reverse("topic_archive", args=[topic.slug])
        number = request.GET.get("page")
        unknown = (topic_slug and topic is None) or (tag_slug and tag is None)
        if is_preview(request) or unknown:
            # A preview shows the editor's unsaved intro; an unknown filter matches no post and
            # repeats what was asked for. Neither is kept in the cache.
            posts = TopicPostPage.objects.none() if unknown else self.listed_posts(topic, tag)
            page_obj = Paginator(posts, POSTS_PER_PAGE).get_page(number)
            context.update(posts=page_obj, **self._render(request, filters, page_obj))
            return context

        # Per content version: how many posts the filter matches, then each page of the
        # listing as HTML. A paginator over the count alone picks the page number exactly as
        # one over the posts would, so a bad or out-of-range ?page= lands where it always did.
        known = f"{self.pk}:{topic.pk if topic else ''}:{tag.pk if tag else ''}"
        count = content_version.cached(
            f"blog:listing-count:{known}",
            lambda: self.listed_posts(topic, tag).count(),
            request=request,
        )
        page_obj = Paginator(range(count), POSTS_PER_PAGE).get_page(number)

        def build():
            posts = self.listed_posts(topic, tag)
            page = Paginator(posts, POSTS_PER_PAGE).get_page(page_obj.number)
            return self._render(request, filters, page)

        key = f"blog:listing:{known}:{site_key(request)}:{page_obj.number}"
        context.update(posts=page_obj, **content_version.cached(key, build, request=request))
        return context

    def _render(self, request, filters, page_obj):
        topics_in_reader_language(page_obj, request)
        context = super().get_context(request)
        context.update(intro_html=markdown_to_html(self.intro), posts=page_obj, **filters)
        return render_fragments("includes/post_listing.html", context)


class TopicPostPage(Page):
    summary = models.TextField(
        max_length=300, help_text="One or two sentences for listings, feeds and search engines."
    )
    applies_to = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "The versions the advice was written for, e.g. “Django 5.2, Celery 5.7”; the version "
            "freshness report compares the packages named here with their newest releases."
        ),
    )
    date = models.DateField(
        "Post date",
        null=True,
        blank=True,
        db_index=True,
        help_text=(
            "Shown on the post; listings and feeds are in this order, newest first. Leave it "
            "blank and the post is dated the day it goes live: its go-live date when scheduled."
        ),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="posts",
        limit_choices_to=in_default_language,
        help_text="The one topic it covers.",
    )
    authors = ParentalManyToManyField(
        Author,
        blank=True,
        limit_choices_to=in_default_language,
        related_name="posts",
        help_text="Who wrote it; tick “The Editors” for a post the editorial team wrote together.",
    )
    tags = ClusterTaggableManager(
        through=TopicPostTag,
        blank=True,
        help_text="A few lowercase keywords, separated by commas, e.g. “postgresql, indexes”.",
    )
    body = StreamField(PostBodyBlock(), help_text="Markdown, rich text, code, quotes, images…")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("applies_to"),
        MultiFieldPanel(
            [
                FieldPanel("date"),
                # Six or so topics: a list to pick from, not a chooser pop-up.
                FieldPanel("topic", widget=forms.RadioSelect),
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="About this post",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        # Search ranks title (boost 2, from Page) over summary, topic, tags and authors over body.
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("topic"),
        index.RelatedFields("topic", [index.SearchField("name", boost=1.5)]),
        index.RelatedFields(
            "tags", [index.SearchField("name", boost=1.5), index.FilterField("slug")]
        ),
        index.RelatedFields("authors", [index.SearchField("name", boost=1.5)]),
        # Search in one language (PostQuerySet.in_reader_language).
        index.RelatedFields("locale", [index.FilterField("language_code")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("date"),
        APIField("topic", serializer=TopicSerializer()),
        APIField("authors", serializer=AuthorSerializer(many=True)),
        APIField("tags"),
        APIField("reading_time"),
        APIField("body"),
        APIField("body_html", serializer=PageMethodField("body_html")),
    ]
    # wagtail-localize's choice for a post's fields, but for the topic: a translation keeps
    # the English post's topic (readers see the topic's own translation in its place), where
    # wagtail-localize would point it at the topic's translation and refuse a post whose topic
    # has none yet. Authors, a many-to-many, are kept as they are anyway.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        SynchronizedField("show_in_menus"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("applies_to"),
        SynchronizedField("date"),
        SynchronizedField("topic", overridable=False),
        TranslatableField("body"),
        SynchronizedField("tags"),
        SynchronizedField("tagged_items"),
    ]
    parent_page_types = ["blog.TopicIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(PostQuerySet)()

    class Meta:
        verbose_name = "Post"
        verbose_name_plural = "Posts"
        indexes = [models.Index(fields=["topic", "-date"], name="post_topic_date_idx")]

    @property
    def published_at(self):
        """The instant the post counts as published, the same in its RSS and Atom items, its
        JSON-LD and its Open Graph tags: the start of its date in the site's time zone."""
        return datetime.datetime.combine(
            self.publication_date(), datetime.time(), tzinfo=timezone.get_default_timezone()
        )

    def body_html(self, request):
        """The body as HTML with absolute links (for feeds and the API: read away from the
        site), built once per content version and site."""
        return type(self).bodies_html([self], request)[self.pk]

    @classmethod
    def bodies_html(cls, posts, request):
        """{post pk: body_html} for several posts: the cached ones in one read, the bodies of
        the others (a listing defers them) in one query."""
        names = {f"blog:body-html:{post.pk}:{site_key(request)}": post for post in posts}

        def build(missing):
            deferred = [names[name].pk for name in missing if "body" not in names[name].__dict__]
            bodies = dict(cls.objects.filter(pk__in=deferred).values_list("pk", "body"))
            return {
                name: names[name]._body_html(request, bodies.get(names[name].pk))
                for name in missing
            }

        built = content_version.cached_many(list(names), build, request=request)
        return {post.pk: built[name] for name, post in names.items()}

    def _body_html(self, request, body=None):
        parts = []
        for block in self.body if body is None else body:
            if block.block_type == "markdown":
                parts.append(markdown_to_html(block.value or ""))
            else:
                parts.append(block.render(context={"request": request, "page": self}))
        html = "\n".join(parts)
        return absolute_links(html, site_root_url(request), self.get_full_url(request))

    def save(self, *args, **kwargs):
        # A post without a date of its own is dated when it goes live, so readers never see an
        # undated post, and a scheduled post carries its go-live date rather than the day it was
        # written. The revision keeps the blank, so the date goes on following go-live.
        # (Wagtail's create view first saves a page to be published as live before publishing
        # its revision: only the publishing itself, which sets live_revision, dates it.)
        going_live = self.live and self.live_revision_id is not None
        if self.date is None and going_live and kwargs.get("update_fields") is None:
            self.date = self.publication_date()
        return super().save(*args, **kwargs)

    def publication_date(self):
        """The date readers see: the one set, else the day it goes (or went) live."""
        if self.date is not None:
            return self.date
        return timezone.localdate(self.go_live_at or self.first_published_at or timezone.now())

    @cached_property
    def body_text(self):
        """The words of the body, for reading time."""
        parts = []
        for child in self.body:
            if child.block_type == "markdown":
                parts.append(child.value or "")
            elif child.block_type == "rich_text":
                parts.append(strip_tags(child.value.source))
            elif child.block_type == "code":
                parts.append(child.value.get("source") or "")
            elif child.block_type in ("quote", "note"):
                parts.append(strip_tags(str(child.value.get("quote") or child.value.get("text"))))
        return " ".join(parts)

    @property
    def reading_time(self):
        """Minutes to read, rounded up, at least one."""
        return max(1, math.ceil(len(self.body_text.split()) / WORDS_PER_MINUTE))

    def table_of_contents(self):
        """(anchor, title) for each level-2 heading of the Markdown blocks, in order."""
        toc = []
        for child in self.body:
            if child.block_type == "markdown":
                html = markdown_to_html(child.value or "")
                toc.extend(
                    (anchor, strip_tags(title)) for anchor, title in HEADING_RE.findall(html)
                )
        return toc

    def neighbours(self, order, request=None):
        """The previous and next live posts in the reading order of the first compilation."""
        ids = next((ids for ids in order.values() if self.pk in ids), [])
        if not ids:
            return None, None
        live = live_posts_in_reading_order(order, request)
        reading = [pk for pk in ids if pk in live or pk == self.pk]
        here = reading.index(self.pk)
        previous = live.get(reading[here - 1]) if here > 0 else None
        following = live.get(reading[here + 1]) if here + 1 < len(reading) else None
        return previous, following

    def related_posts(self, tags):
        """Up to three other live posts on the same topic or sharing a tag, most shared first."""
        tag_ids = [tag.pk for tag in tags]
        shared = (
            TopicPostTag.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)
            .order_by()
            .values("content_object")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return list(
            TopicPostPage.objects.cards()
            .exclude(pk=self.pk)
            .annotate(shared_tags=Coalesce(Subquery(shared), 0))
            .filter(Q(topic_id=self.topic_id) | Q(shared_tags__gt=0))
            .order_by("-shared_tags", "-date", "-pk")[:RELATED_POSTS]
        )

    def get_context(self, request, *args, **kwargs):
        # A draft without a date previews with the date it will carry once live.
        self.date = self.publication_date()
        context = super().get_context(request, *args, **kwargs)
        if is_preview(request) or not self.pk:
            # A preview shows the editor's unsaved changes: never from (or into) the cache.
            context.update(self._render(request))
        else:
            context.update(self.rendered(request))
        return context

    def rendered(self, request):
        """The post's metadata and article as HTML, built once per content version and site.

        Everything in them (body, table of contents, authors, tags, related posts, featured in,
        previous and next) comes from published content, which the version covers.
        """
        key = f"blog:post:{self.pk}:{site_key(request)}"
        return content_version.cached(key, lambda: self._render(request), request=request)

    def _render(self, request):
        context = super().get_context(request)
        featured_in, order = compilation_map(request)
        previous, following = self.neighbours(order, request) if self.pk else (None, None)
        tags = list(self.tags.all())
        author_words = snippet_translations(Author, request)
        context.update(
            topic=(
                in_reader_language(self.topic, snippet_translations(Topic, request))
                if self.topic_id
                else None
            ),
            authors=[in_reader_language(a, author_words) for a in self.authors.all()],
            tags=tags,
            toc=self.table_of_contents(),
            # The compilations in the post's own language (a translated compilation lists the
            # posts it has no translation of, too).
            featured_in=[
                place
                for place in featured_in.get(self.pk, [])
                if place["locale_id"] == self.locale_id
            ],
            previous_post=previous,
            next_post=following,
            related_posts=(
                topics_in_reader_language(self.related_posts(tags), request) if self.pk else []
            ),
        )
        return render_fragments("includes/post_article.html", context)

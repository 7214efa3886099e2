"""Small builders for pages and snippets; each takes overrides as keyword arguments."""

import datetime
import itertools

from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from blog.models import (
    Author,
    CompilationPage,
    CompilationSectionPage,
    Topic,
    TopicIndexPage,
    TopicPostPage,
)
from blog.sections import split_into_sections, write_sections
from home.models import HomePage
from markdown_io.compilations import with_stable_ids

_numbers = itertools.count(1)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_home(**overrides):
    """A published home page at the default site's root, replacing Wagtail's placeholder."""
    root = Page.get_first_root_node()
    if root is None:
        # An earlier transactional test flushed the tables, and with them the root page and
        # locale that Wagtail's migrations create.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    for placeholder in Page.objects.child_of(root):
        placeholder.delete()
    fields = {"title": "Django at Scale", "slug": "home", "intro": "Welcome, **reader**."}
    home = root.add_child(instance=HomePage(**{**fields, **overrides}))
    publish(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


def make_index(home, **overrides):
    fields = {"title": "Posts", "slug": "posts", "intro": "Every post."}
    return publish(home.add_child(instance=TopicIndexPage(**{**fields, **overrides})))


def make_topic(**overrides):
    n = next(_numbers)
    fields = {"name": f"Topic {n}", "slug": f"topic-{n}", "description": "About things."}
    return Topic.objects.create(**{**fields, **overrides})


def make_author(**overrides):
    n = next(_numbers)
    fields = {"name": f"Author {n}", "slug": f"author-{n}", "bio": "Writes."}
    return Author.objects.create(**{**fields, **overrides})


def markdown_body(text="## Overview\n\nSome words about Django.\n"):
    return [
        {"type": "markdown", "value": text},
        {"type": "code", "value": {"language": "python", "filename": "", "source": "x = 1"}},
    ]


def make_post(index, live=True, tags=(), authors=(), **overrides):
    """A post under `index`; published unless live=False (then only a draft revision)."""
    n = next(_numbers)
    fields = {
        "title": f"Post {n}",
        "slug": f"post-{n}",
        "summary": f"Summary of post {n}.",
        "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        "body": markdown_body(),
    }
    fields.update(overrides)
    if "topic" not in fields:
        fields["topic"] = make_topic()
    page = TopicPostPage(**fields)
    page.tags.set(list(tags))
    page.authors.set(list(authors))
    if not live:
        page.live = False
    index.add_child(instance=page)
    if live:
        publish(page)
    else:
        page.save_revision()
    return page


def section(heading, entries, anchor="", text="About this section."):
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "anchor": anchor,
            "reviewed": "2026-11-01",
            "applies_to": "Django 5.2",
            "text": text,
            "entries": entries,
        },
    }


def post_entry(post, annotation="Read this first."):
    return {"type": "post", "value": {"page": post.pk, "annotation": annotation}}


def link_entry(n=1, **overrides):
    value = {
        "url": f"https://docs.djangoproject.com/en/5.2/topic-{n}/",
        "title": f"Doc page {n}",
        "source": "Django docs",
        "annotation": "The reference.",
    }
    return {"type": "link", "value": {**value, **overrides}}


def make_compilation(home, sections, **overrides):
    """A published compilation whose sections (raw section blocks) become its section pages,
    as every compilation's do (blog.sections.split_into_sections)."""
    fields = {
        "title": "Django at Scale in Production",
        "slug": "django-at-scale-in-production",
        "summary": "The compilation.",
        "intro": "How to read it.",
        "body": sections,
        "has_section_pages": False,
    }
    page = publish(home.add_child(instance=CompilationPage(**{**fields, **overrides})))
    split_into_sections(page)
    page.refresh_from_db()
    return page


def publish_sections(compilation, sections):
    """Publish `sections` (raw section blocks) as the compilation's sections: its section pages
    are changed, added, unpublished and reordered to match, as a Markdown import would."""
    previous = list(compilation.specific.body.raw_data)
    write_sections(compilation, with_stable_ids(compilation.slug, list(sections), previous))
    compilation.refresh_from_db()
    return compilation


def draft_sections(compilation, sections):
    """Save `sections` as drafts of the compilation's section pages (new ones as drafts too)."""
    previous = list(compilation.specific.body.raw_data)
    write_sections(
        compilation, with_stable_ids(compilation.slug, list(sections), previous), publish=False
    )
    return compilation


def make_section(compilation, heading="Caching", entries=(), live=True, **overrides):
    """A section page at the end of `compilation`; published (and so assembled into the
    compilation's body) unless live=False."""
    fields = {
        "title": heading,
        "slug": overrides.pop("anchor", "") or slugify(heading),
        "reviewed": datetime.date(2026, 11, 1),
        "applies_to": "Django 5.2",
        "text": "About this section.",
        "entries": list(entries),
    }
    section = CompilationSectionPage(**{**fields, **overrides})
    if not live:
        section.live = False
    compilation.add_child(instance=section)
    revision = section.save_revision()
    if live:
        revision.publish()
    section.refresh_from_db()
    return section


def post_form_data(topic, markdown="## Hello\n\nSome *words*.", code="print('hi')", **fields):
    """The admin edit form's POST data for a post with a Markdown and a code block."""
    data = {
        "title": "A post from the admin",
        "slug": "a-post-from-the-admin",
        "summary": "Written in the admin.",
        "date": "2026-11-20",
        "topic": str(topic.pk),
        "tags": "admin, markdown",
        "body": streamfield(
            [
                ("markdown", markdown),
                ("code", {"language": "python", "filename": "", "source": code}),
            ]
        ),
    }
    data.update(fields)
    return nested_form_data(data)


def section_form_data(post, **fields):
    """The admin edit form's POST data for a section page with two entries (a post, a link)."""
    entries = streamfield(
        [
            ("post", {"page": str(post.pk), "annotation": "Our own post."}),
            (
                "link",
                {
                    "url": "https://docs.djangoproject.com/en/5.2/",
                    "title": "Django docs",
                    "source": "Django docs",
                    "annotation": "The reference.",
                },
            ),
        ]
    )
    data = {
        "title": "Caching",
        "slug": "caching",
        "reviewed": "2026-11-01",
        "applies_to": "Django 5.2",
        "text": "About *caching*.",
        "entries": entries,
    }
    data.update(fields)
    return nested_form_data(data)


def compilation_form_data(post=None, **fields):
    """The admin edit form's POST data for a compilation (its sections are pages of their own:
    `section_form_data`)."""
    data = {
        "title": "Django at Scale in Production",
        "slug": "django-at-scale-in-production",
        "summary": "The compilation.",
        "intro": "Intro.",
    }
    data.update(fields)
    return nested_form_data(data)

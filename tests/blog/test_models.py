"""The page types (blog/models.py): the tree, rendering and previews, the compilation, the posts
and the listing at /posts/ (newest first, paginated, filtered by topic and tag); posts in the
admin (drafts, publishing, revisions, deleting) and help text on every field."""

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from blog.models import (
    POSTS_PER_PAGE,
    Author,
    CompilationPage,
    CompilationSectionPage,
    Topic,
    TopicIndexPage,
    TopicPostPage,
)
from home.models import HomePage
from tests import factories

# --- The compilation ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_compilation_renders_toc_anchors_annotations_and_counts(client, index):
    home = index.get_parent().specific
    post = factories.make_post(index, title="The ORM")
    factories.make_compilation(
        home,
        [
            factories.section(
                "The ORM",
                [factories.post_entry(post, "Start here."), factories.link_entry(1)],
                anchor="orm",
            ),
            factories.section("Caching", [factories.link_entry(2, annotation="Backends.")]),
        ],
    )

    html = client.get("/django-at-scale-in-production/").content.decode()

    assert 'href="#orm"' in html and 'id="orm"' in html
    assert 'href="#caching"' in html and 'id="caching"' in html
    assert "Start here." in html and "Backends." in html
    assert f'href="/posts/{post.slug}/"' in html
    assert 'href="https://docs.djangoproject.com/en/5.2/topic-2/"' in html
    assert "1 post · 2 documentation links" in html
    assert "Applies to Django 5.2" in html


@pytest.mark.django_db
def test_compilation_hides_entries_for_unpublished_posts(client, index):
    home = index.get_parent().specific
    draft = factories.make_post(index, live=False, title="Not ready yet")
    factories.make_compilation(home, [factories.section("Soon", [factories.post_entry(draft)])])

    html = client.get("/django-at-scale-in-production/").content.decode()

    assert "Not ready yet" not in html
    assert "0 posts" in html


@pytest.mark.django_db
@pytest.mark.parametrize("restriction_type", ["password", "login"])
def test_compilation_hides_entries_for_restricted_posts(client, index, restriction_type):
    home = index.get_parent().specific
    public = factories.make_post(index, title="Open to all")
    restricted = factories.make_post(index, title="Members only")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=restriction_type, password="secret-words"
    )
    factories.make_compilation(
        home,
        [
            factories.section(
                "Mixed", [factories.post_entry(public), factories.post_entry(restricted)]
            )
        ],
    )

    html = client.get("/django-at-scale-in-production/").content.decode()

    assert "Members only" not in html
    assert f"/posts/{restricted.slug}/" not in html
    assert "Open to all" in html
    assert "1 post ·" in html or "1 post<" in html or "1 post " in html


@pytest.mark.django_db
def test_compilation_entries_degrade_to_a_plain_list_with_progress_hooks(client, index, post):
    home = index.get_parent().specific
    factories.make_compilation(
        home, [factories.section("One", [factories.post_entry(post), factories.link_entry(3)])]
    )

    response = client.get("/django-at-scale-in-production/")
    html = response.content.decode()

    assert '<ol class="entries">' in html
    assert '<li class="entry entry--post" data-entry="/posts/tricky/">' in html
    assert 'data-entry="https://docs.djangoproject.com/en/5.2/topic-3/"' in html
    assert '<p class="progress-total" data-progress-total hidden></p>' in html
    assert '<script src="/static/js/progress.js" defer></script>' in html
    assert 'aria-label="Link to “One”">#</a>' in html


# --- Posts -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_shows_topic_tags_authors_date_reading_time_and_toc(client, index):
    topic = factories.make_topic(name="Databases", slug="database")
    author = factories.make_author(name="Ada Editor")
    body = factories.markdown_body("## First part\n\nWords.\n\n## Second part\n\nMore words.\n")
    post = factories.make_post(
        index, topic=topic, tags=["orm", "postgresql"], authors=[author], body=body
    )

    html = client.get(post.url).content.decode()

    assert "Databases" in html and 'href="/topics/database/"' in html
    assert "#orm" in html and "#postgresql" in html
    assert "Ada Editor" in html
    assert post.date.strftime("%Y-%m-%d") in html
    assert "1 min read" in html
    assert 'href="#first-part"' in html and 'id="first-part"' in html
    assert 'href="#second-part"' in html
    assert '<span class="k">' in html or '<span class="n">' in html  # Pygments markup


@pytest.mark.django_db
def test_post_links_its_topic_and_tags_to_their_archives(client, post):
    html = client.get(post.url).content.decode()

    assert 'href="/topics/databases/"' in html
    assert 'href="/tags/orm/"' in html and 'href="/tags/postgresql/"' in html


@pytest.mark.django_db
def test_post_links_back_to_sections_and_to_neighbours_in_compilation_order(client, index):
    home = index.get_parent().specific
    first, second, third = (factories.make_post(index, title=t) for t in ("One", "Two", "Three"))
    factories.make_compilation(
        home,
        [
            factories.section("Start", [factories.post_entry(first)], anchor="start"),
            factories.section(
                "Next", [factories.post_entry(second), factories.post_entry(third)], anchor="next"
            ),
        ],
    )

    html = client.get(second.url).content.decode()

    assert 'href="/django-at-scale-in-production/#next"' in html
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html


@pytest.mark.django_db
def test_related_posts_share_the_topic_or_a_tag_most_shared_first(client, index, post):
    factories.make_post(index, title="Same topic", topic=post.topic, date=datetime.date(2026, 1, 1))
    factories.make_post(index, title="Two tags", tags=["orm", "postgresql"])
    factories.make_post(index, title="One tag", tags=["orm"], date=datetime.date(2026, 2, 1))
    factories.make_post(index, title="Unrelated", tags=["security"])
    factories.make_post(index, live=False, title="Draft related", topic=post.topic)

    html = client.get(post.url).content.decode()
    related = html[html.index('id="related-title"') :]

    assert related.index("Two tags") < related.index("One tag") < related.index("Same topic")
    assert "Unrelated" not in related and "Draft related" not in related


@pytest.mark.django_db
def test_draft_post_is_not_public(client, index):
    draft = factories.make_post(index, live=False)

    assert client.get(f"/posts/{draft.slug}/").status_code == 404


# --- The listing -------------------------------------------------------------------------------


@pytest.fixture
def posts(index):
    db_topic = factories.make_topic(name="Databases", slug="database")
    other = factories.make_topic(name="Security", slug="security")
    made = []
    for n in range(POSTS_PER_PAGE + 3):
        made.append(
            factories.make_post(
                index,
                title=f"Listed {n:02d}",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                topic=db_topic if n % 2 else other,
                tags=["orm"] if n % 3 == 0 else [],
            )
        )
    return made


@pytest.mark.django_db
def test_listing_is_newest_first_and_paginated(client, posts):
    first = client.get("/posts/").content.decode()
    second = client.get("/posts/?page=2").content.decode()

    assert first.index("Listed 12") < first.index("Listed 11")
    assert "Listed 00" not in first and "Listed 00" in second
    assert "Page 1 of 2" in first and 'rel="next" href="?page=2"' in first


@pytest.mark.django_db
def test_listing_hides_drafts(client, index, posts):
    factories.make_post(index, live=False, title="Secret draft")

    assert "Secret draft" not in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_listing_filters_by_topic_and_tag(client, posts):
    by_topic = client.get("/posts/?topic=database").content.decode()
    by_tag = client.get("/posts/?tag=orm").content.decode()

    assert "Listed 01" in by_topic and "Listed 02" not in by_topic
    assert "Listed 03" in by_tag and "Listed 01" not in by_tag


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=99999", "page=", "page=1.5"])
def test_bad_page_numbers_still_answer(client, posts, query):
    assert client.get(f"/posts/?{query}").status_code == 200


@pytest.mark.django_db
def test_unknown_filters_say_so_and_escape_input(client, posts):
    html = client.get("/posts/?topic=<script>x</script>&tag=nope").content.decode()

    assert "There is no topic called" in html and "There is no tag called" in html
    assert "<script>x" not in html
    assert "No posts match." in html


# --- In the admin ------------------------------------------------------------------------------


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="database")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("blog", "topicpostpage", index.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def edit(client, post, **fields):
    data = factories.post_form_data(post.topic, slug=post.slug, **fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)


@pytest.mark.django_db
def test_draft_publish_edit_unpublish(client, index, topic, editor):
    client.force_login(editor)
    anonymous = client.__class__()

    # Save a draft: stored, not public.
    response = client.post(add_url(index), factories.post_form_data(topic))
    assert response.status_code == 302
    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert not post.live
    assert anonymous.get("/posts/a-post-from-the-admin/").status_code == 404

    # Preview shows the draft's content to the editor.
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(post.pk,))
    assert client.post(preview, factories.post_form_data(topic)).json()["is_valid"]
    html = client.get(preview).content.decode()
    assert "A post from the admin" in html and "<em>words</em>" in html

    # Publish: public, with the highlighted code.
    data = factories.post_form_data(topic, **{"action-publish": "publish"})
    assert client.post(edit_url(post), data).status_code == 302
    response = anonymous.get("/posts/a-post-from-the-admin/")
    assert response.status_code == 200
    assert 'class="highlight"' in response.content.decode()

    # Edit again: the new title is live and the earlier revision is kept.
    data = factories.post_form_data(topic, title="Renamed", **{"action-publish": "publish"})
    client.post(edit_url(post), data)
    post.refresh_from_db()
    assert "Renamed" in anonymous.get("/posts/a-post-from-the-admin/").content.decode()
    titles = [r.as_object().title for r in post.revisions.order_by("created_at")]
    assert titles[0] == "A post from the admin" and titles[-1] == "Renamed"
    first, last = post.revisions.order_by("created_at")[0], post.latest_revision
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(post.pk, first.pk, last.pk))
    assert client.get(compare).status_code == 200

    # Unpublish: gone for readers, nothing lost for editors.
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(post.pk,))
    assert client.post(unpublish).status_code == 302
    assert anonymous.get("/posts/a-post-from-the-admin/").status_code == 404
    post.refresh_from_db()
    assert not post.live and post.title == "Renamed"
    assert post.revisions.count() == len(titles)


@pytest.mark.django_db
def test_scheduled_publish_waits_for_go_live(client, index, topic, editor):
    client.force_login(editor)
    go_live = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = factories.post_form_data(topic, go_live_at=go_live, **{"action-publish": "publish"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert not post.live
    assert post.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 404


GO_LIVE = datetime.datetime(2027, 1, 15, 9, 0, tzinfo=datetime.UTC)


def schedule(client, index, topic, **fields):
    """A post published from the admin with a go-live of 15 January 2027."""
    go_live = timezone.localtime(GO_LIVE).strftime("%Y-%m-%d %H:%M")
    data = factories.post_form_data(
        topic, go_live_at=go_live, **{"action-publish": "publish", **fields}
    )
    assert client.post(add_url(index), data).status_code == 302
    return TopicPostPage.objects.get(slug="a-post-from-the-admin")


def publish_scheduled_after(moment):
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("publish_scheduled")


@pytest.mark.django_db
def test_a_scheduled_post_without_a_date_is_dated_its_go_live(client, index, topic, editor):
    client.force_login(editor)
    post = schedule(client, index, topic, date="")
    assert not post.live and post.date is None

    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(post.pk,))
    client.post(preview, factories.post_form_data(topic, date="", go_live_at="2027-01-15 09:00"))
    assert "15 January 2027" in client.get(preview).content.decode()

    publish_scheduled_after(GO_LIVE + datetime.timedelta(minutes=1))

    post.refresh_from_db()
    assert post.live and post.date == datetime.date(2027, 1, 15)
    html = client.__class__().get("/posts/a-post-from-the-admin/").content.decode()
    assert '<time datetime="2027-01-15">15 January 2027</time>' in html


@pytest.mark.django_db
def test_a_post_date_set_by_the_editor_is_kept_when_scheduled(client, index, topic, editor):
    client.force_login(editor)
    post = schedule(client, index, topic, date="2026-12-24")

    publish_scheduled_after(GO_LIVE + datetime.timedelta(minutes=1))

    post.refresh_from_db()
    assert post.live and post.date == datetime.date(2026, 12, 24)


@pytest.mark.django_db
def test_an_undated_post_published_now_is_dated_today(client, index, topic, editor):
    client.force_login(editor)
    data = factories.post_form_data(topic, date="", **{"action-publish": "publish"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert post.live and post.date == timezone.localdate()
    # The next edit without a date keeps the date it went live with.
    edit(client, post, date="", title="Edited", **{"action-publish": "publish"})
    post.refresh_from_db()
    assert post.title == "Edited" and post.date == timezone.localdate()


@pytest.mark.django_db
def test_every_save_in_the_admin_is_a_revision(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    before = post.revisions.count()

    edit(client, post, title="First draft")
    edit(client, post, title="Second draft")
    edit(client, post, title="Published", **{"action-publish": "publish"})

    titles = [r.content["title"] for r in post.revisions.order_by("created_at", "pk")]
    assert post.revisions.count() == before + 3
    assert titles[-3:] == ["First draft", "Second draft", "Published"]
    history = reverse("wagtailadmin_pages:history", args=(post.pk,))
    assert client.get(history).status_code == 200


@pytest.mark.django_db
def test_unpublishing_keeps_the_page_and_its_revisions(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Keep me")
    revisions = post.revisions.count()

    client.post(reverse("wagtailadmin_pages:unpublish", args=(post.pk,)))

    post.refresh_from_db()
    assert not post.live and post.title == "Keep me"
    assert post.revisions.count() == revisions
    assert PageLogEntry.objects.filter(page=post, action="wagtail.unpublish").exists()
    # And it can come back from its latest revision.
    post.get_latest_revision().publish()
    assert client.__class__().get(post.url).status_code == 200


@pytest.mark.django_db
def test_deleting_a_page_asks_for_confirmation_first(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Still here")
    url = reverse("wagtailadmin_pages:delete", args=(post.pk,))

    response = client.get(url)

    assert response.status_code == 200
    assert "Are you sure you want to delete this page" in response.content.decode()
    assert Page.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_a_deleted_page_is_in_the_audit_log(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Going away")
    url = reverse("wagtailadmin_pages:delete", args=(post.pk,))

    assert client.post(url).status_code == 302

    assert not Page.objects.filter(pk=post.pk).exists()
    entry = PageLogEntry.objects.get(page_id=post.pk, action="wagtail.delete")
    assert entry.label == "Going away" and entry.user == editor
    log = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Going away" in log


@pytest.mark.django_db
def test_page_types_read_as_editors_say_them(client, index, editor):
    client.force_login(editor)
    home = index.get_parent()

    under_home = client.get(reverse("wagtailadmin_pages:add_subpage", args=(home.pk,)))
    under_index = client.get(reverse("wagtailadmin_pages:add_subpage", args=(index.pk,)))

    assert under_home.status_code == 200
    types = under_home.content.decode()
    assert "Compilation page" not in types and "Topic index page" not in types
    assert [t.get_verbose_name() for t in (CompilationPage, TopicIndexPage, TopicPostPage)] == [
        "Compilation",
        "Posts",
        "Post",
    ]
    # A post-index page offers exactly one child type, so Wagtail goes straight to its form.
    assert under_index.status_code == 302
    assert "Topic post page" not in client.get(under_index.url).content.decode()


@pytest.mark.django_db
def test_topic_is_picked_from_a_list_of_every_topic(client, index, topic, editor):
    factories.make_topic(name="Security", slug="security")
    client.force_login(editor)

    html = client.get(add_url(index)).content.decode()

    assert html.count('type="radio" name="topic"') == 2
    assert "Databases" in html and "Security" in html


@pytest.mark.django_db
def test_authors_help_text_names_the_editors_author(client, index, editor):
    client.force_login(editor)

    html = client.get(add_url(index)).content.decode()

    assert "tick “The Editors”" in html
    assert "none for the editors" not in html


def test_addresses_are_labelled_url():
    stream = CompilationPage._meta.get_field("body").stream_block
    entry = stream.child_blocks["section"].child_blocks["entries"].child_blocks["link"]
    post_blocks = TopicPostPage._meta.get_field("body").stream_block.child_blocks
    labels = [
        entry.child_blocks["url"].label,
        post_blocks["links"].child_blocks["links"].child_block.child_blocks["url"].label,
        post_blocks["quote"].child_blocks["source_url"].label,
    ]
    assert labels == ["URL", "URL", "Source URL"]


def _blocks(block, seen=None):
    seen = seen if seen is not None else []
    for child in getattr(block, "child_blocks", {}).values():
        seen.append(child)
        _blocks(child, seen)
    if isinstance(block, blocks.ListBlock):
        seen.append(block.child_block)
        _blocks(block.child_block, seen)
    return seen


def test_every_field_and_block_has_help_text():
    missing = []
    for model in (CompilationPage, TopicPostPage, HomePage, Topic, Author):
        for field in model._meta.get_fields():
            if getattr(field, "model", None) is not model or not getattr(field, "editable", 0):
                continue
            if isinstance(field, models.AutoField | models.OneToOneField) or field.name == "id":
                continue
            if not field.help_text:
                missing.append(f"{model.__name__}.{field.name}")
    for model in (CompilationPage, TopicPostPage):
        for block in _blocks(model._meta.get_field("body").stream_block):
            meta, field = block.meta, getattr(block, "field", None)
            texts = [getattr(meta, "help_text", ""), getattr(meta, "description", "")]
            if not any([*texts, getattr(field, "help_text", "")]):
                missing.append(f"{model.__name__} body block {block.name or type(block).__name__}")
    assert missing == [], "\n".join(missing)


# --- The tree, rendering and previews ----------------------------------------------------------


class TestPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.make_home()
        cls.index = factories.make_index(cls.home)
        cls.post = factories.make_post(cls.index)
        cls.compilation = factories.make_compilation(
            cls.home, [factories.section("A", [factories.post_entry(cls.post)])]
        )

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CompilationPage, TopicIndexPage})
        self.assertAllowedParentPageTypes(CompilationPage, {HomePage})
        self.assertAllowedSubpageTypes(CompilationPage, {CompilationSectionPage})
        self.assertAllowedParentPageTypes(CompilationSectionPage, {CompilationPage})
        self.assertAllowedSubpageTypes(CompilationSectionPage, set())
        self.assertAllowedParentPageTypes(TopicIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicIndexPage, {TopicPostPage})
        self.assertAllowedParentPageTypes(TopicPostPage, {TopicIndexPage})
        self.assertAllowedSubpageTypes(TopicPostPage, set())

    def test_wrong_parents_are_refused(self):
        self.assertCanNotCreateAt(HomePage, TopicPostPage)
        self.assertCanNotCreateAt(TopicPostPage, TopicPostPage)
        self.assertCanNotCreateAt(CompilationPage, TopicPostPage)
        self.assertCanNotCreateAt(TopicIndexPage, CompilationPage)

    def test_every_page_type_renders(self):
        for page in (self.home, self.index, self.post, self.compilation):
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsRenderable(page)

    def test_pages_without_streamfields_preview(self):
        for page in (self.home, self.index):
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsPreviewable(page)

    def test_post_previews(self):
        data = factories.post_form_data(self.post.topic, title="Previewed")
        self.assertPageIsPreviewable(self.post, post_data=data)

    def test_compilation_previews(self):
        data = factories.compilation_form_data(self.post, title="Previewed")
        self.assertPageIsPreviewable(self.compilation, post_data=data)

    def test_section_previews(self):
        section = self.compilation.get_children().get()
        data = factories.section_form_data(self.post, title="Previewed", slug=section.slug)
        self.assertPageIsPreviewable(section, post_data=data)

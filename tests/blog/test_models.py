"""The page types (blog/models.py): the tree, rendering and previews, the compilation and the
posts."""

import datetime

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import CompilationPage, TopicIndexPage, TopicPostPage
from home.models import HomePage
from tests import factories


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
        self.assertAllowedSubpageTypes(CompilationPage, set())
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

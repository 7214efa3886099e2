"""Each page type renders its content, previews, and keeps the tree in shape."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import CompilationPage, TopicIndexPage, TopicPostPage
from home.models import HomePage
from tests import factories


@pytest.mark.django_db
def test_home_page_renders_intro_featured_compilation_and_latest_posts(client, index):
    home = index.get_parent().specific
    post = factories.make_post(index, title="Caching that lasts")
    compilation = factories.make_compilation(
        home, [factories.section("Caching", [factories.post_entry(post)])]
    )
    home.featured_compilation = compilation
    factories.publish(home)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, <strong>reader</strong>." in html
    assert 'href="/django-at-scale-in-production/#caching"' in html
    assert "Caching that lasts" in html


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
def test_draft_post_is_not_public(client, index):
    draft = factories.make_post(index, live=False)

    assert client.get(f"/posts/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_unknown_page_is_404_with_our_template(client, home):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


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

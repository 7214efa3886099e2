"""Posts are rendered once per content version and kept in the cache. Publishing anything they
show changes the next request, previews show unsaved changes, and what one version rendered is
never served under another."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from blog.models import TopicPostPage
from serving import content_version
from tests import factories


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def preview_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="databases")


@pytest.fixture
def post(index, topic):
    author = factories.make_author(name="Ada Editor")
    return factories.make_post(
        index, title="Indexes that pay", topic=topic, tags=["orm"], authors=[author]
    )


# --- Posts -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_a_post_changes_its_next_request(client, post):
    html(client, post.url)
    post.title = "Indexes, revisited"
    post.body = factories.markdown_body("## Second thoughts\n\nNew words.\n")
    factories.publish(post)

    page = html(client, post.url)

    assert "<h1>Indexes, revisited</h1>" in page
    assert '<meta property="og:title" content="Indexes, revisited">' in page
    assert 'href="#second-thoughts"' in page and "New words." in page
    assert "Indexes that pay" not in page


@pytest.mark.django_db
def test_renaming_its_topic_shows_on_the_post(client, post, topic):
    html(client, post.url)
    topic.name = "Data stores"
    topic.save()

    page = html(client, post.url)

    assert ">Data stores</a></p>" in page
    assert '"articleSection": "Data stores"' in page


@pytest.mark.django_db
def test_renaming_its_author_shows_on_the_post(client, post):
    html(client, post.url)
    author = post.authors.get()
    author.name = "Ada Lovelace"
    author.save()

    page = html(client, post.url)

    assert "By Ada Lovelace" in page and "Ada Editor" not in page


@pytest.mark.django_db
def test_renaming_its_tag_shows_on_the_post(client, post):
    html(client, post.url)
    tag = Tag.objects.get(slug="orm")
    tag.name = "object-relational mapping"
    tag.save()

    page = html(client, post.url)

    assert "#object-relational mapping" in page and "#orm<" not in page


@pytest.mark.django_db
def test_publishing_a_related_post_shows_on_the_post(client, index, post, topic):
    other = factories.make_post(index, title="Partial indexes", topic=topic)
    assert "Partial indexes" in html(client, post.url)

    other.title = "Partial indexes, measured"
    factories.publish(other)
    assert "Partial indexes, measured" in html(client, post.url)

    other.unpublish()
    assert "Partial indexes" not in html(client, post.url)


@pytest.mark.django_db
def test_a_compilation_listing_the_post_shows_it_as_featured_in(client, index, post):
    assert "Featured in" not in html(client, post.url)
    home = index.get_parent().specific
    factories.make_compilation(home, [factories.section("Indexes", [factories.post_entry(post)])])

    page = html(client, post.url)

    assert "Featured in" in page
    assert 'href="/django-at-scale-in-production/#indexes"' in page


@pytest.mark.django_db
def test_post_preview_shows_unsaved_changes_not_the_cached_article(client, post, topic, editor):
    html(client, post.url)
    client.force_login(editor)
    data = factories.post_form_data(
        topic, title="Unsaved title", slug=post.slug, markdown="## Unsaved heading\n\nDraft."
    )

    assert client.post(preview_url(post), data).json()["is_valid"]
    preview = html(client, preview_url(post))

    assert "<h1>Unsaved title</h1>" in preview and "Unsaved heading" in preview
    assert "Indexes that pay" not in preview
    public = html(client.__class__(), post.url)
    assert "<h1>Indexes that pay</h1>" in public and "Unsaved" not in public


@pytest.mark.django_db
def test_an_editor_gets_the_published_article_with_the_user_bar(client, post, editor):
    anonymous = html(client.__class__(), post.url)
    client.force_login(editor)

    page = html(client, post.url)

    assert "wagtail-userbar" in page and "wagtail-userbar" not in anonymous
    article = anonymous[anonymous.index('<nav class="breadcrumbs"') : anonymous.index("</main>")]
    assert article in page


@pytest.mark.django_db
def test_a_post_read_before_a_publish_is_not_kept_under_the_new_version(client, post, monkeypatch):
    get_context = TopicPostPage.get_context

    def publish_meanwhile(self, request, *args, **kwargs):
        # Another editor publishes after this request has read the post, before it renders.
        monkeypatch.setattr(TopicPostPage, "get_context", get_context)
        TopicPostPage.objects.filter(pk=self.pk).update(title="Published meanwhile")
        content_version.bump()
        return get_context(self, request, *args, **kwargs)

    monkeypatch.setattr(TopicPostPage, "get_context", publish_meanwhile)
    assert "<h1>Indexes that pay</h1>" in html(client, post.url)

    page = html(client, post.url)

    assert "<h1>Published meanwhile</h1>" in page and "Indexes that pay" not in page

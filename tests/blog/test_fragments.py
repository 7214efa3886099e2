"""Posts, the compilation, the listing and the home page are rendered once per content version
and kept in the cache (blog/fragments.py). Publishing anything they show changes the next
request, previews show unsaved changes, and what one version rendered is never served under
another."""

import datetime

import pytest
from django.urls import reverse
from taggit.models import Tag
from wagtail.test.utils.form_data import nested_form_data

from blog.models import POSTS_PER_PAGE, TopicPostPage
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


# --- The compilation ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_compilation_preview_shows_unsaved_changes_not_the_cached_body(client, index, editor):
    home = index.get_parent().specific
    post = factories.make_post(index, title="Listed post")
    compilation = factories.make_compilation(
        home, [factories.section("Published heading", [factories.post_entry(post)])]
    )
    client.get(compilation.url)  # the live body is now cached
    client.force_login(editor)
    section = compilation.get_children().get()
    preview = f"/admin/pages/{section.pk}/edit/preview/"
    data = factories.section_form_data(post, title="Unsaved heading", slug=section.slug)

    assert client.post(preview, data).json()["is_valid"]
    html = client.get(preview).content.decode()

    assert "Unsaved heading" in html
    assert "Published heading" not in html
    assert "Published heading" in client.__class__().get(compilation.url).content.decode()


# --- The listing -------------------------------------------------------------------------------


@pytest.fixture
def listed(index, topic):
    security = factories.make_topic(name="Security", slug="security")
    return [
        factories.make_post(
            index,
            title=f"Listed {n:02d}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            topic=topic if n % 2 else security,
            tags=["orm"] if n % 3 == 0 else [],
        )
        for n in range(POSTS_PER_PAGE + 3)
    ]


LISTING_URLS = ["/posts/", "/posts/?page=2", "/posts/?topic=databases", "/posts/?tag=orm"]


@pytest.mark.django_db
def test_publishing_a_post_puts_it_on_the_listing_at_once(client, index, topic, listed):
    for url in LISTING_URLS:
        html(client, url)
    new = factories.make_post(
        index, title="Brand new", date=datetime.date(2027, 1, 1), topic=topic, tags=["orm"]
    )

    for url in ["/posts/", "/posts/?topic=databases", "/posts/?tag=orm"]:
        assert "Brand new" in html(client, url), url
    assert "Listed 02" in html(client, "/posts/?page=2")  # pushed over to page 2

    new.unpublish()
    for url in LISTING_URLS:
        assert "Brand new" not in html(client, url), url


@pytest.mark.django_db
def test_renaming_a_topic_shows_on_the_listing(client, topic, listed):
    html(client, "/posts/")
    html(client, "/posts/?topic=databases")
    topic.name = "Data stores"
    topic.save()

    assert ">Data stores</a></li>" in html(client, "/posts/")
    assert "<h1>Data stores</h1>" in html(client, "/posts/?topic=databases")


@pytest.mark.django_db
def test_listing_pages_and_filters_each_keep_their_own_posts(client, listed):
    for url in LISTING_URLS:
        html(client, url)

    first, second = html(client, "/posts/"), html(client, "/posts/?page=2")
    by_topic, by_tag = html(client, "/posts/?topic=databases"), html(client, "/posts/?tag=orm")

    assert "Listed 12" in first and "Listed 00" not in first
    assert "Listed 00" in second and "Listed 12" not in second
    assert "Listed 01" in by_topic and "Listed 02" not in by_topic
    assert "Listed 03" in by_tag and "Listed 01" not in by_tag
    assert "<h1>Databases</h1>" in by_topic and "<h1>Tagged “orm”</h1>" in by_tag


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [("page=0", 2), ("page=99", 2), ("page=-1", 2), ("page=abc", 1), ("page=1.5", 1), ("page=", 1)],
)
def test_bad_page_numbers_land_where_they_always_did(client, listed, query, shown):
    html(client, "/posts/")
    html(client, "/posts/?page=2")

    assert f"Page {shown} of 2" in html(client, f"/posts/?{query}")


@pytest.mark.django_db
def test_pagination_links_keep_the_query_string_of_each_request(client, listed):
    assert 'href="?page=2"' in html(client, "/posts/")

    page = html(client, "/posts/?utm_source=feed")

    assert 'href="?utm_source=feed&amp;page=2"' in page


@pytest.mark.django_db
def test_a_topic_created_later_lists_its_posts(client, index, listed):
    assert "There is no topic called “caching”" in html(client, "/posts/?topic=caching")
    caching = factories.make_topic(name="Caching", slug="caching")
    factories.make_post(index, title="Cache stampedes", topic=caching)

    page = html(client, "/posts/?topic=caching")

    assert "Cache stampedes" in page and "There is no topic" not in page


@pytest.mark.django_db
def test_listing_preview_shows_the_unsaved_intro(client, index, listed, editor):
    html(client, "/posts/")
    client.force_login(editor)
    data = nested_form_data(
        {"title": "All the posts", "slug": "posts", "intro": "Unsaved *intro*."}
    )

    assert client.post(preview_url(index), data).json()["is_valid"]
    preview = html(client, preview_url(index))

    assert "<h1>All the posts</h1>" in preview and "Unsaved <em>intro</em>." in preview
    assert "Unsaved" not in html(client.__class__(), "/posts/")


# --- The home page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_a_post_shows_on_the_home_page_at_once(client, index, post):
    assert "Indexes that pay" in html(client, "/")

    factories.make_post(index, title="Fresh on the home page", date=datetime.date(2027, 1, 1))
    post.unpublish()
    page = html(client, "/")

    assert "Fresh on the home page" in page and "Indexes that pay" not in page


@pytest.mark.django_db
def test_publishing_the_featured_compilation_shows_on_the_home_page(client, index, post):
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home, [factories.section("Indexes", [factories.post_entry(post)])]
    )
    home.featured_compilation = compilation
    factories.publish(home)
    assert 'href="/django-at-scale-in-production/#indexes">Indexes</a>' in html(client, "/")

    compilation.title = "Django at Scale, second edition"
    factories.publish(compilation)
    section = compilation.get_children().get().specific
    section.title = "Partitioning"
    factories.publish(section)
    page = html(client, "/")

    assert "Django at Scale, second edition" in page
    assert ">Partitioning</a>" in page and ">Indexes</a>" not in page


@pytest.mark.django_db
def test_home_preview_shows_the_unsaved_intro(client, home, editor):
    html(client, "/")
    client.force_login(editor)
    data = nested_form_data(
        {"title": "Django at Scale", "slug": "home", "intro": "Unsaved *welcome*."}
    )

    assert client.post(preview_url(home), data).json()["is_valid"]

    assert "Unsaved <em>welcome</em>." in html(client, preview_url(home))
    assert "Unsaved" not in html(client.__class__(), "/")

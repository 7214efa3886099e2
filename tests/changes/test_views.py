"""The compilation's "What changed" page and its Atom feed (changes/views.py), read from the
compilation's published revisions."""

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from tests import factories

URL = "/django-at-scale-in-production/changes/"
FEED = URL + "feed/"
CACHE = "https://docs.djangoproject.com/en/5.2/topics/cache/"
TRICKY = 'Less <than> "quoted" & friends'


def body(compilation):
    return [dict(block) for block in compilation.body.raw_data]


def republish(compilation, raw):
    return factories.publish_sections(compilation, raw)


@pytest.fixture
def compilation(index):
    post = factories.make_post(index, title="Tuning PostgreSQL")
    sections = [
        factories.section("Databases", [factories.post_entry(post)]),
        factories.section("Caching", [factories.link_entry(1, url=CACHE, title="Cache docs")]),
    ]
    return factories.make_compilation(index.get_parent(), sections)


@pytest.mark.django_db
def test_compilation_header_links_to_what_changed(client, compilation):
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert f'<a href="{URL}">What changed</a>' in html


@pytest.mark.django_db
def test_first_publish_lists_the_sections_with_links_to_them(client, compilation):
    html = client.get(URL).content.decode()
    assert "<h1>What changed</h1>" in html
    assert 'New section <a href="/django-at-scale-in-production/#databases">Databases</a>' in html
    assert 'href="/django-at-scale-in-production/#caching">Caching</a>, with 1 entry' in html


@pytest.mark.django_db
def test_a_publish_shows_its_changes_at_once_newest_first(client, compilation):
    client.get(URL)  # cached under the current content version
    raw = body(compilation)
    raw[1]["value"] = {**raw[1]["value"], "entries": [], "reviewed": "2026-12-01"}
    raw[0]["value"]["entries"][0]["value"]["annotation"] = "Read it twice."
    republish(compilation, raw)

    html = client.get(URL).content.decode()
    assert "Removed “Cache docs” from Caching." in html
    assert 'reviewed on <time datetime="2026-12-01">' in html
    assert "Tuning PostgreSQL</a> in Databases: “Read it twice.”" in html
    assert html.index("Removed “Cache docs”") < html.index("New section")


@pytest.mark.django_db
def test_entry_moved_between_sections_links_to_its_new_section(client, compilation):
    raw = body(compilation)
    moved = raw[1]["value"]["entries"].pop()
    raw[0]["value"]["entries"].append(moved)
    republish(compilation, raw)

    html = client.get(URL).content.decode()
    assert (
        'Moved <a href="/django-at-scale-in-production/#databases">Cache docs</a> '
        "from Caching to Databases." in html
    )


@pytest.mark.django_db
def test_a_draft_is_not_a_change_until_published(client, compilation):
    raw = body(compilation)
    raw.append(factories.section("Unpublished idea", []))
    factories.draft_sections(compilation, raw)

    assert "Unpublished idea" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_post_readers_cannot_open_is_not_named(client, index, compilation):
    draft = factories.make_post(index, live=False, title="Secret draft")
    raw = body(compilation)
    raw[0]["value"]["entries"].append(factories.post_entry(draft))
    republish(compilation, raw)

    html = client.get(URL).content.decode()
    assert "Secret draft" not in html
    assert "A post no longer published" in html


@pytest.mark.django_db
def test_titles_and_notes_are_escaped(client, compilation):
    raw = body(compilation)
    raw[1]["value"]["entries"][0]["value"]["annotation"] = TRICKY
    raw.append(factories.section(TRICKY, []))
    republish(compilation, raw)

    html = client.get(URL).content.decode()
    assert "<than>" not in html
    assert "Less &lt;than&gt; &quot;quoted&quot; &amp; friends" in html


@pytest.mark.django_db
def test_unknown_sub_page_is_404(client, compilation):
    assert client.get(URL + "nope/").status_code == 404


@pytest.mark.django_db
def test_unpublished_compilation_has_no_changes_page(client, compilation):
    compilation.unpublish()
    assert client.get(URL).status_code == 404
    assert client.get(FEED).status_code == 404


@pytest.mark.django_db
def test_page_marks_publishes_for_the_last_visit_script(client, compilation):
    html = client.get(URL).content.decode()
    assert 'data-changes-key="/django-at-scale-in-production/"' in html
    assert "data-publish-id=" in html and "js/changes.js" in html


@pytest.mark.django_db
def test_page_query_count_is_pinned(client, compilation, django_assert_num_queries):
    # Wagtail finds the page in seven queries (site, the reader's language's locale, the pages
    # on the path, their restrictions); the log adds two when it is built (the publishes, the
    # posts' titles) and the language switcher two (the pages in several languages and their
    # restrictions), none from the cache.
    with django_assert_num_queries(11):
        client.get(URL)
    with django_assert_num_queries(7):
        client.get(URL)


@pytest.mark.django_db
def test_feed_has_one_entry_per_publish_newest_first(client, compilation):
    raw = body(compilation)
    raw.append(factories.section("Deployment", []))
    republish(compilation, raw)

    response = client.get(FEED)
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Django at Scale in Production: what changed"
    assert parsed.feed.link == "http://localhost" + URL
    titles = [entry.title for entry in parsed.entries]
    assert titles == [
        "1 change to Django at Scale in Production",
        "2 changes to Django at Scale in Production",
    ]
    newest = parsed.entries[0]
    assert newest.link.startswith("http://localhost" + URL + "#publish-")
    assert 'href="http://localhost/django-at-scale-in-production/#deployment"' in (newest.summary)


@pytest.mark.django_db
def test_a_private_compilation_keeps_its_log_and_feed_private(client, compilation):
    PageViewRestriction.objects.create(
        page=compilation, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )

    log = client.get(URL)
    feed = client.get(FEED)

    assert "password" in log.content.decode().lower()
    assert "What changed" not in log.content.decode()
    assert feed.status_code == 200 and b"<feed" not in feed.content

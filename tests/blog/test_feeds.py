"""RSS and Atom feeds (blog/feeds.py): valid XML, read by feedparser too, listing exactly the live
public posts with their full content, of all topics, one topic or one tag."""

import datetime

import feedparser
import pytest

from blog.models import Topic
from tests import factories
from tests.blog.conftest import TRICKY_TITLE, parse, parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    return channel, channel.findall("item")


@pytest.mark.django_db
def test_rss_feed_lists_exactly_the_live_public_posts_newest_first(client, site_posts):
    channel, items = rss_items(client, "/feed/")

    assert [item.findtext("title") for item in items] == ["Second", TRICKY_TITLE]
    assert channel.findtext("link") == "http://localhost/posts/"


@pytest.mark.django_db
def test_rss_items_have_absolute_links_summaries_dates_and_categories(client, site_posts):
    _, items = rss_items(client, "/feed/")
    tricky = items[1]

    assert tricky.findtext("link") == "http://localhost/posts/" + site_posts["live"][1].slug + "/"
    assert tricky.findtext("guid") == tricky.findtext("link")
    assert tricky.findtext("description") == "Summary with <b>markup</b> & ampersand."
    assert tricky.findtext("pubDate") == "Sun, 01 Mar 2026 00:00:00 +0000"
    assert [c.text for c in tricky.findall("category")] == ["Databases", "orm"]
    assert tricky.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ada Editor"


@pytest.mark.django_db
def test_atom_feed_parses_with_entries_ids_and_updated_dates(client, site_posts):
    response = client.get("/feed/atom/")
    feed = parse_xml(response.content)
    entries = feed.findall(f"{ATOM}entry")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Second", TRICKY_TITLE]
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    assert entries[1].find(f"{ATOM}link").get("href").startswith("http://localhost/posts/")
    assert [c.get("term") for c in entries[1].findall(f"{ATOM}category")] == ["Databases", "orm"]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feed/atom/"


@pytest.mark.django_db
def test_topic_and_tag_feeds_list_only_their_posts(client, site_posts):
    topic_channel, topic_items = rss_items(client, "/topics/databases/feed/")
    _, tag_items = rss_items(client, "/tags/orm/feed/")

    assert [item.findtext("title") for item in topic_items] == [TRICKY_TITLE]
    assert topic_channel.findtext("title") == "Django at Scale: Databases"
    assert topic_channel.findtext("link") == "http://localhost/topics/databases/"
    assert [item.findtext("title") for item in tag_items] == [TRICKY_TITLE]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/topics/nope/feed/", "/tags/nope/feed/", "/topics/<b>/feed/"])
def test_unknown_topic_or_tag_feed_is_404(client, site_posts, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_posts(client, index, django_assert_num_queries):
    topic = factories.make_topic()
    for _ in range(12):
        factories.make_post(index, topic=topic, tags=["orm", "cache"])
    client.get("/feed/")

    with django_assert_num_queries(5):
        client.get("/feed/")


@pytest.mark.django_db
def test_a_feed_built_afresh_reads_every_body_in_one_query(
    client, index, django_assert_num_queries
):
    # After a publish the items' full content is built again: the listing leaves the bodies
    # out, and they are read together, not one query per item.
    topic = factories.make_topic()
    for _ in range(12):
        factories.make_post(index, topic=topic, tags=["orm", "cache"])

    with django_assert_num_queries(6):
        response = client.get("/feed/")

    assert response.content.count(b"<content:encoded>") == 12


@pytest.mark.django_db
def test_every_page_advertises_the_feeds(client, site_posts):
    for url in ("/", "/posts/", site_posts["live"][0].url, "/topics/databases/"):
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert 'type="application/atom+xml"' in html and 'href="/feed/atom/"' in html
    archive = client.get("/topics/databases/").content.decode()
    assert 'href="/topics/databases/feed/"' in archive


FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/topics/databases/feed/",
    "/topics/databases/feed/atom/",
    "/tags/orm/feed/",
    "/tags/orm/feed/atom/",
]


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def full_post(index):
    # The same topic as site_posts' when both are used.
    topic = Topic.objects.filter(slug="databases").first() or factories.make_topic(
        name="Databases", slug="databases"
    )
    other = factories.make_post(index, title="Other", slug="other", topic=topic)
    post = factories.make_post(
        index,
        title="Full content",
        slug="full-content",
        topic=topic,
        tags=["orm"],
        date=datetime.date(2026, 3, 1),
        body=factories.markdown_body(
            "## Part one\n\nSee [the other post](/posts/other/) and [below](#part-one).\n\n"
            "```python\nprint('code')\n```\n"
        ),
    )
    return post, other


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_with_the_full_content_of_each_post(client, full_post, url):
    parsed = read_feed(client, url)

    entry = next(e for e in parsed.entries if e.title == "Full content")
    html = entry.content[0].value
    assert entry.content[0].type == "text/html"
    assert '<h2 id="part-one">Part one' in html
    assert "print" in html and "code" in html  # the code box
    assert entry.summary.startswith("Summary of post")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_content_links_are_absolute(client, full_post, url):
    post, other = full_post
    entry = next(e for e in read_feed(client, url).entries if e.title == "Full content")
    html = entry.content[0].value

    assert f'href="http://localhost{other.url}"' in html
    assert 'href="http://localhost/posts/full-content/#part-one"' in html
    assert 'href="/' not in html and 'src="/' not in html


@pytest.mark.django_db
def test_rss_and_atom_give_each_post_the_same_published_instant(client, site_posts, full_post):
    for rss_url, atom_url in [
        ("/feed/", "/feed/atom/"),
        ("/topics/databases/feed/", "/topics/databases/feed/atom/"),
        ("/tags/orm/feed/", "/tags/orm/feed/atom/"),
    ]:
        rss = {e.link: e.published_parsed for e in read_feed(client, rss_url).entries}
        atom = {e.link: e.published_parsed for e in read_feed(client, atom_url).entries}
        assert rss and rss == atom

    post = full_post[0]
    article = parse(client.get(post.url)).json_ld()["Article"]
    assert article["datePublished"] == "2026-03-01T00:00:00+00:00"
    entry = next(e for e in read_feed(client, "/feed/atom/").entries if e.link.endswith(post.url))
    assert entry.published == article["datePublished"]


@pytest.mark.django_db
def test_topic_and_tag_atom_feeds_name_themselves(client, site_posts):
    topic = read_feed(client, "/topics/databases/feed/atom/")
    tag = read_feed(client, "/tags/orm/feed/atom/")

    assert topic.feed.title == "Django at Scale: Databases"
    assert [e.title for e in topic.entries] == [TRICKY_TITLE]
    assert tag.feed.title == "Django at Scale: posts tagged orm"
    self_links = [link.href for link in tag.feed.links if link.rel == "self"]
    assert self_links == ["http://localhost/tags/orm/feed/atom/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/topics/nope/feed/atom/", "/tags/nope/feed/atom/"])
def test_unknown_topic_or_tag_atom_feed_is_404(client, site_posts, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_archives_advertise_their_rss_and_atom_feeds(client, site_posts):
    for archive, feed in [
        ("/topics/databases/", "/topics/databases/feed/"),
        ("/tags/orm/", "/tags/orm/feed/"),
    ]:
        html = client.get(archive).content.decode()
        assert '<link rel="alternate" type="application/rss+xml" title="' in html
        assert 'type="application/atom+xml"' in html
        assert f'href="{feed}atom/"' in html
        assert f'href="{feed}"' in html

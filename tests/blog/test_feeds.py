"""RSS and Atom feeds (blog/feeds.py): valid XML listing exactly the live public posts, of all
topics, one topic or one tag."""

import pytest

from tests import factories
from tests.blog.conftest import TRICKY_TITLE, parse_xml

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
def test_every_page_advertises_the_feeds(client, site_posts):
    for url in ("/", "/posts/", site_posts["live"][0].url, "/topics/databases/"):
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert 'type="application/atom+xml"' in html and 'href="/feed/atom/"' in html
    archive = client.get("/topics/databases/").content.decode()
    assert 'href="/topics/databases/feed/"' in archive

"""Topic and tag archives (blog/views.py): the live posts of one topic or tag, newest first,
paginated; and robots.txt."""

import pytest
from wagtail.models import PageViewRestriction

from tests import factories
from tests.blog.conftest import parse


@pytest.mark.django_db
def test_topic_archive_lists_its_live_posts_newest_first_paginated(client, archive_posts):
    first = client.get("/topics/databases/").content.decode()
    second = client.get("/topics/databases/?page=2").content.decode()

    assert "<h1>Databases</h1>" in first and "12 posts" in first
    assert first.index("Archived 22") < first.index("Archived 20")
    assert "Archived 01" not in first and "Archived draft" not in first
    assert "Archived 02" in second and "Archived 00" in second and "Archived 22" not in second
    assert "Page 1 of 2" in first and 'rel="next" href="?page=2"' in first
    head = parse(client.get("/topics/databases/?page=2"))
    assert {"rel": "canonical", "href": "http://localhost/topics/databases/?page=2"} in head.links
    assert head.json_ld()["BreadcrumbList"]["itemListElement"][1]["name"] == "Posts"


@pytest.mark.django_db
def test_tag_archive_lists_tagged_posts(client, archive_posts):
    html = client.get("/tags/orm/").content.decode()

    assert "Tagged “orm”" in html and "8 posts" in html
    assert "Archived 21" in html and "Archived 20" not in html and "Archived draft" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/topics/nope/", "/tags/nope/"])
def test_unknown_archive_is_404(client, archive_posts, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-1", "99999", "", "1.5", "<b>"])
def test_archive_answers_bad_page_numbers(client, archive_posts, page):
    response = client.get("/topics/databases/", {"page": page})

    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.django_db
def test_archive_refuses_writes(client, archive_posts):
    assert client.post("/topics/databases/").status_code == 405


@pytest.mark.django_db
def test_archive_query_count_does_not_grow(client, archive_posts, django_assert_num_queries):
    client.get("/topics/databases/")

    with django_assert_num_queries(7):
        client.get("/topics/databases/")
    # One more for a tag: the view restrictions, to know the tag is used by a readable post.
    with django_assert_num_queries(8):
        client.get("/tags/orm/?page=1")


@pytest.mark.django_db
def test_post_cards_link_topics_to_their_archive(client, archive_posts):
    html = client.get("/posts/").content.decode()

    assert 'href="/topics/databases/"' in html
    assert "/posts/?topic=" not in html.split('class="post-list"', 1)[1]


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client, home):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.django_db
def test_topic_archive_has_the_listing_topic_chips(client, archive_posts):
    html = client.get("/topics/databases/").content.decode()

    chips = html.split('<nav class="filters" aria-label="Topics">', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/topics/databases/" aria-current="page">' in chips
    assert '<a href="/posts/">All</a>' in chips


@pytest.mark.django_db
def test_listing_filtered_by_topic_names_the_topic_archive_as_canonical(client, archive_posts):
    head = parse(client.get("/posts/?topic=databases"))

    assert {"rel": "canonical", "href": "http://localhost/topics/databases/"} in head.links


@pytest.mark.django_db
def test_listing_topic_chips_link_to_the_topic_archives(client, archive_posts):
    html = client.get("/posts/").content.decode()

    assert 'href="/topics/databases/"' in html
    assert "?topic=" not in html.split('<nav class="filters"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tags/{}/", "/tags/{}/feed/"])
@pytest.mark.parametrize("hidden", ["draft", "private"])
def test_tag_used_only_by_hidden_posts_is_404(client, index, url, hidden):
    post = factories.make_post(
        index, live=hidden != "draft", title="Hidden", tags=["embargoed-launch"]
    )
    if hidden == "private":
        PageViewRestriction.objects.create(page=post, restriction_type="login")

    assert client.get(url.format("embargoed-launch")).status_code == 404

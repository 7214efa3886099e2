"""What readers and their tools see on each page: metadata, JSON-LD, breadcrumbs, archives,
related posts, heading anchors and the reading-progress hooks on the compilation."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.views.defaults import server_error
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from blog.models import POSTS_PER_PAGE
from tests import factories

TRICKY_TITLE = 'Less <than> "quoted" & friends'


class Head(HTMLParser):
    """Meta tags, link tags, JSON-LD blocks and other scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.ld, self.scripts, self.h1 = {}, [], [], [], 0
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_ld = attrs.get("type") == "application/ld+json"
            if self._in_ld:
                self.ld.append("")
        elif tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data

    def json_ld(self):
        return {doc["@type"]: doc for doc in map(json.loads, self.ld)}


def parse(response):
    assert response.status_code == 200
    head = Head()
    head.feed(response.content.decode())
    return head


@pytest.fixture
def post(index):
    topic = factories.make_topic(name="Databases", slug="databases")
    author = factories.make_author(name="Ada Editor", link="https://example.com/ada")
    return factories.make_post(
        index,
        title=TRICKY_TITLE,
        slug="tricky",
        summary='A summary with <, " and & in it.',
        topic=topic,
        tags=["orm", "postgresql"],
        authors=[author],
        date=datetime.date(2026, 5, 4),
        body=factories.markdown_body("## First part\n\nWords.\n\n### Detail\n\nMore.\n"),
    )


@pytest.mark.django_db
def test_post_metadata_keeps_a_title_with_markup_characters_intact(client, post):
    head = parse(client.get(post.url))

    assert head.meta["og:title"] == TRICKY_TITLE
    assert head.meta["twitter:title"] == TRICKY_TITLE
    assert head.meta["description"] == 'A summary with <, " and & in it.'
    assert head.meta["og:description"] == 'A summary with <, " and & in it.'
    assert head.meta["og:url"] == "http://localhost/posts/tricky/"
    assert head.meta["og:type"] == "article"
    assert head.meta["twitter:card"] == "summary"
    assert {"rel": "canonical", "href": "http://localhost/posts/tricky/"} in head.links
    assert head.json_ld()["Article"]["headline"] == TRICKY_TITLE
    # The title cannot end the JSON-LD block early.
    assert "<than>" not in "".join(head.ld)


@pytest.mark.django_db
def test_post_json_ld_describes_the_article_and_its_breadcrumbs(client, post):
    docs = parse(client.get(post.url)).json_ld()

    article = docs["Article"]
    assert article["@context"] == "https://schema.org"
    assert article["datePublished"] == "2026-05-04"
    assert article["dateModified"]
    assert article["author"] == [
        {"@type": "Person", "name": "Ada Editor", "url": "https://example.com/ada"}
    ]
    assert article["articleSection"] == "Databases"
    assert article["keywords"] == ["orm", "postgresql"]
    crumbs = docs["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://localhost/"),
        (2, "Posts", "http://localhost/posts/"),
        (3, TRICKY_TITLE, "http://localhost/posts/tricky/"),
    ]


@pytest.mark.django_db
def test_promote_tab_description_and_seo_title_win(client, index):
    post = factories.make_post(index, search_description="From the promote tab.", seo_title="SEO")

    head = parse(client.get(post.url))

    assert head.meta["description"] == "From the promote tab."
    assert head.meta["og:description"] == "From the promote tab."
    assert head.meta["og:title"] == "SEO"


@pytest.mark.django_db
def test_post_shows_visible_breadcrumbs(client, post):
    html = client.get(post.url).content.decode()

    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<a href="/posts/">Posts</a>' in html
    assert 'href="/posts/tricky/" aria-current="page">Less &lt;than&gt;' in html


@pytest.mark.django_db
def test_post_headings_have_anchor_links_for_copying(client, post):
    html = client.get(post.url).content.decode()

    assert (
        '<h2 id="first-part">First part<a class="anchor" href="#first-part" '
        'aria-label="Link to “First part”">#</a></h2>'
    ) in html
    assert '<a class="anchor" href="#detail"' in html
    assert '<script src="/static/js/anchors.js" defer></script>' in html


@pytest.mark.django_db
def test_post_links_its_topic_and_tags_to_their_archives(client, post):
    html = client.get(post.url).content.decode()

    assert 'href="/topics/databases/"' in html
    assert 'href="/tags/orm/"' in html and 'href="/tags/postgresql/"' in html


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
def test_compilation_json_ld_is_an_article_and_an_item_list_of_its_entries(client, index, post):
    home = index.get_parent().specific
    draft = factories.make_post(index, live=False, title="Draft")
    factories.make_compilation(
        home,
        [
            factories.section("One", [factories.post_entry(post), factories.post_entry(draft)]),
            factories.section("Two", [factories.link_entry(7, title="Docs & <more>")]),
        ],
    )

    docs = parse(client.get("/django-at-scale-in-production/")).json_ld()

    assert docs["Article"]["headline"] == "Django at Scale in Production"
    items = docs["ItemList"]["itemListElement"]
    assert [(i["position"], i["name"], i["url"]) for i in items] == [
        (1, TRICKY_TITLE, "http://localhost/posts/tricky/"),
        (2, "Docs & <more>", "https://docs.djangoproject.com/en/5.2/topic-7/"),
    ]
    assert docs["ItemList"]["numberOfItems"] == 2
    assert [c["name"] for c in docs["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "Django at Scale in Production",
    ]


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
def test_home_describes_the_website_and_its_search(client, home):
    docs = parse(client.get("/")).json_ld()

    assert docs["WebSite"]["url"] == "http://localhost/"
    assert docs["WebSite"]["potentialAction"]["target"] == "http://localhost/search/?q={query}"
    assert "BreadcrumbList" not in docs


@pytest.mark.django_db
def test_pages_have_one_h1_and_no_inline_scripts(client, index, post):
    home = index.get_parent().specific
    factories.make_compilation(home, [factories.section("One", [factories.post_entry(post)])])
    urls = ["/", "/posts/", post.url, "/django-at-scale-in-production/", "/topics/databases/"]
    urls += ["/tags/orm/", "/search/?q=orm"]

    for url in urls:
        head = parse(client.get(url))
        assert head.h1 == 1, url
        for script in head.scripts:
            assert script.get("src") or script.get("type") == "application/ld+json", url


@pytest.mark.django_db
def test_unknown_page_gets_the_custom_404(client, home):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.fixture
def archive_posts(index):
    topic = factories.make_topic(name="Databases", slug="databases")
    other = factories.make_topic(name="Other", slug="other")
    made = [
        factories.make_post(
            index,
            title=f"Archived {n:02d}",
            topic=topic if n % 2 == 0 else other,
            tags=["orm"] if n % 3 == 0 else [],
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(2 * POSTS_PER_PAGE + 4)
    ]
    factories.make_post(index, live=False, title="Archived draft", topic=topic, tags=["orm"])
    return made


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
    with django_assert_num_queries(7):
        client.get("/tags/orm/?page=1")


@pytest.mark.django_db
def test_post_cards_link_topics_to_their_archive(client, archive_posts):
    html = client.get("/posts/").content.decode()

    assert 'href="/topics/databases/"' in html
    assert "/posts/?topic=" not in html.split('class="post-list"', 1)[1]


@pytest.mark.django_db
def test_post_images_have_alt_text_dimensions_and_a_srcset(client, index):
    image = Image.objects.create(title="Diagram", file=get_test_image_file(size=(1600, 900)))
    body = [
        {"type": "image", "value": {"image": image.pk, "alt_text": 'Pool "A" & B', "caption": ""}}
    ]
    post = factories.make_post(index, body=body)

    html = client.get(post.url).content.decode()
    img = html[html.index("<img") : html.index(">", html.index("<img"))]

    assert 'alt="Pool &quot;A&quot; &amp; B"' in img
    assert 'width="480"' in img and 'height="270"' in img
    assert "srcset=" in img and " 800w" in img and " 1200w" in img
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in img
    assert 'loading="lazy"' in img


def test_server_error_page_is_friendly_and_standalone(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'href="/"' in html


@pytest.mark.django_db
def test_later_listing_pages_are_their_own_canonical_url(client, archive_posts):
    head = parse(client.get("/posts/?page=2"))

    assert {"rel": "canonical", "href": "http://localhost/posts/?page=2"} in head.links
    assert {"rel": "canonical", "href": "http://localhost/posts/"} in parse(
        client.get("/posts/")
    ).links

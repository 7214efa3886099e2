"""What readers' tools read on each page (blog/metadata.py): description, Open Graph and
canonical links, JSON-LD for posts, the compilation and the home page; one h1 and no inline
script besides JSON-LD."""

import re

import pytest

from tests import factories
from tests.blog.conftest import TRICKY_TITLE, parse


@pytest.mark.django_db
def test_post_metadata_keeps_a_title_with_markup_characters_intact(client, post):
    head = parse(client.get(post.url))

    assert head.meta["og:title"] == TRICKY_TITLE
    assert head.meta["twitter:title"] == TRICKY_TITLE
    assert head.meta["description"] == 'A summary with <, " and & in it.'
    assert head.meta["og:description"] == 'A summary with <, " and & in it.'
    assert head.meta["og:url"] == "http://localhost/posts/tricky/"
    assert head.meta["og:type"] == "article"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert {"rel": "canonical", "href": "http://localhost/posts/tricky/"} in head.links
    assert head.json_ld()["Article"]["headline"] == TRICKY_TITLE
    # The title cannot end the JSON-LD block early.
    assert "<than>" not in "".join(head.ld)


@pytest.mark.django_db
def test_post_json_ld_describes_the_article_and_its_breadcrumbs(client, post):
    docs = parse(client.get(post.url)).json_ld()

    article = docs["Article"]
    assert article["@context"] == "https://schema.org"
    assert article["datePublished"] == "2026-05-04T00:00:00+00:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", article["dateModified"])
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
def test_home_describes_the_website_and_its_search(client, home):
    docs = parse(client.get("/")).json_ld()

    assert docs["WebSite"]["url"] == "http://localhost/"
    assert docs["WebSite"]["potentialAction"]["target"] == "http://localhost/search/?q={query}"
    assert "BreadcrumbList" not in docs


@pytest.mark.django_db
def test_later_listing_pages_are_their_own_canonical_url(client, archive_posts):
    head = parse(client.get("/posts/?page=2"))

    assert {"rel": "canonical", "href": "http://localhost/posts/?page=2"} in head.links
    assert {"rel": "canonical", "href": "http://localhost/posts/"} in parse(
        client.get("/posts/")
    ).links


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
def test_post_has_a_large_share_image_with_size_and_alt_text(client, post):
    head = parse(client.get(post.url))

    image = f"http://localhost/share/{post.pk}.png"
    assert head.meta["og:image"] == image
    assert head.meta["og:image:type"] == "image/png"
    assert head.meta["og:image:width"] == "1200"
    assert head.meta["og:image:height"] == "630"
    assert head.meta["og:image:alt"] == f"“{TRICKY_TITLE}”, a post on Databases, on Django at Scale"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == image
    assert head.json_ld()["Article"]["image"] == {
        "@type": "ImageObject",
        "url": image,
        "width": 1200,
        "height": 630,
    }


@pytest.mark.django_db
def test_article_publisher_is_an_organization_with_a_logo(client, post):
    publisher = parse(client.get(post.url)).json_ld()["Article"]["publisher"]

    assert publisher == {
        "@type": "Organization",
        "name": "Django at Scale",
        "url": "http://localhost/",
        "logo": {
            "@type": "ImageObject",
            "url": "http://localhost/share/logo.png",
            "width": 512,
            "height": 512,
        },
    }
    logo = client.get("/share/logo.png")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_post_open_graph_times_match_its_json_ld(client, post):
    head = parse(client.get(post.url))
    article = head.json_ld()["Article"]

    assert head.meta["article:published_time"] == article["datePublished"]
    assert head.meta["article:modified_time"] == article["dateModified"]


@pytest.mark.django_db
def test_compilation_is_an_article_with_a_share_image_and_times(client, index, post):
    compilation = factories.make_compilation(
        index.get_parent().specific, [factories.section("One", [factories.post_entry(post)])]
    )

    head = parse(client.get("/django-at-scale-in-production/"))
    article = head.json_ld()["Article"]

    assert head.meta["og:type"] == "article"
    assert head.meta["og:image"] == f"http://localhost/share/{compilation.pk}.png"
    assert head.meta["og:image:alt"] == (
        "“Django at Scale in Production”, a compilation, on Django at Scale"
    )
    assert article["image"]["url"] == head.meta["og:image"]
    instant = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"
    assert re.fullmatch(instant, article["datePublished"])
    assert re.fullmatch(instant, article["dateModified"])


@pytest.mark.django_db
def test_time_elements_carry_no_microseconds(client, index, post):
    factories.make_compilation(
        index.get_parent().specific, [factories.section("One", [factories.post_entry(post)])]
    )

    for url in ("/django-at-scale-in-production/", post.url, "/posts/", "/"):
        html = client.get(url).content.decode()
        stamps = re.findall(r'<time datetime="([^"]+)"', html)
        assert stamps, url
        for stamp in stamps:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", stamp)


@pytest.mark.django_db
def test_pages_without_a_share_image_keep_the_small_card(client, home, index):
    head = parse(client.get("/posts/"))

    assert "og:image" not in head.meta
    assert head.meta["twitter:card"] == "summary"

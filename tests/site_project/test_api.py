"""The read-only API at /api/v2/ (site_project/api.py): live public pages with their fields,
images, documents."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import factories


@pytest.fixture
def content(index):
    topic = factories.make_topic(name="Databases", slug="databases")
    author = factories.make_author(name="Ada Editor")
    post = factories.make_post(
        index, title="Live post", topic=topic, tags=["orm"], authors=[author]
    )
    draft = factories.make_post(index, live=False, title="Draft post")
    private = factories.make_post(index, title="Private post")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home, [factories.section("Caching", [factories.post_entry(post), factories.link_entry(1)])]
    )
    return {"post": post, "draft": draft, "private": private, "compilation": compilation}


@pytest.mark.django_db
def test_pages_endpoint_lists_only_live_public_pages(client, content):
    response = client.get("/api/v2/pages/", {"limit": 50})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    titles = {item["title"] for item in response.json()["items"]}
    assert titles == {"Django at Scale", "Posts", "Live post", "Django at Scale in Production"}


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["draft", "private"])
def test_unpublished_and_private_pages_are_not_found(client, content, which):
    assert client.get(f"/api/v2/pages/{content[which].pk}/").status_code == 404


@pytest.mark.django_db
def test_post_detail_has_its_fields_and_body_blocks_as_json(client, content):
    data = client.get(f"/api/v2/pages/{content['post'].pk}/").json()

    assert data["meta"]["type"] == "blog.TopicPostPage"
    assert data["summary"] == content["post"].summary
    assert data["topic"] == {"name": "Databases", "slug": "databases"}
    assert data["authors"] == [
        {"name": "Ada Editor", "slug": data["authors"][0]["slug"], "link": ""}
    ]
    assert data["tags"] == ["orm"]
    assert data["reading_time"] == 1
    assert [block["type"] for block in data["body"]] == ["markdown", "code"]
    assert data["body"][1]["value"]["source"] == "x = 1"


@pytest.mark.django_db
def test_compilation_detail_has_sections_with_entries(client, content):
    data = client.get(f"/api/v2/pages/{content['compilation'].pk}/").json()

    section = data["body"][0]
    assert section["type"] == "section"
    assert section["value"]["heading"] == "Caching"
    assert section["value"]["anchor"] == "caching"
    assert section["value"]["text"] == "About this section."
    assert section["value"]["text_html"] == "<p>About this section.</p>"
    entries = section["value"]["entries"]
    post = content["post"]
    assert entries[0] == {
        "type": "post",
        "id": entries[0]["id"],
        "value": {
            "page": post.pk,
            "title": "Live post",
            "url": post.url,
            "full_url": f"http://localhost{post.url}",
            "annotation": "Read this first.",
        },
    }
    assert entries[1]["value"] == {
        "url": "https://docs.djangoproject.com/en/5.2/topic-1/",
        "title": "Doc page 1",
        "source": "Django docs",
        "annotation": "The reference.",
    }
    assert data["intro_html"] == "<p>How to read it.</p>"


@pytest.mark.django_db
def test_compilation_leaves_out_entries_readers_cannot_open(client, index, content):
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home,
        [
            factories.section(
                "Mixed",
                [
                    factories.post_entry(content["draft"]),
                    factories.post_entry(content["private"]),
                    factories.post_entry(content["post"]),
                ],
            )
        ],
        slug="second",
        title="Second",
    )

    entries = client.get(f"/api/v2/pages/{compilation.pk}/").json()["body"][0]["value"]["entries"]

    assert [entry["value"]["title"] for entry in entries] == ["Live post"]


@pytest.mark.django_db
def test_every_section_and_entry_has_a_stable_id(client, content):
    url = f"/api/v2/pages/{content['compilation'].pk}/"

    def ids():
        body = client.get(url).json()["body"]
        return [section["id"] for section in body] + [
            entry["id"] for section in body for entry in section["value"]["entries"]
        ]

    first = ids()
    assert all(first) and len(set(first)) == len(first) == 3
    cache.clear()  # built afresh, from the database
    assert ids() == first


@pytest.mark.django_db
def test_an_entry_keeps_the_id_stored_with_it(client, index, content):
    entry = {**factories.link_entry(2), "id": "0b5e6c1e-3d2f-4a7b-9c8d-1e2f3a4b5c6d"}
    compilation = factories.make_compilation(
        index.get_parent().specific,
        [factories.section("Stored", [entry])],
        slug="stored",
        title="Stored",
    )

    body = client.get(f"/api/v2/pages/{compilation.pk}/").json()["body"]

    assert body[0]["value"]["entries"][0]["id"] == "0b5e6c1e-3d2f-4a7b-9c8d-1e2f3a4b5c6d"


@pytest.mark.django_db
def test_compilation_entries_need_no_query_per_entry_or_compilation(client, index, content):
    home = index.get_parent().specific
    url = "/api/v2/pages/?type=blog.CompilationPage&fields=body"

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    one = count()
    posts = [factories.make_post(index, title=f"Listed {n}") for n in range(4)]
    for n in range(2):
        factories.make_compilation(
            home,
            [factories.section(f"S{n}", [factories.post_entry(post) for post in posts])],
            slug=f"more-{n}",
            title=f"More {n}",
        )

    # Wagtail's own: the view restrictions and the home page's translations (its other
    # language trees; each read three times), the site, the count and the page of compilations
    # with their locales. The entries' posts come from the compilation map kept per content
    # version: nothing per entry or per compilation.
    assert one == (1, 9)
    assert count() == (3, 9)


@pytest.mark.django_db
def test_post_detail_has_its_body_as_html_beside_the_raw_blocks(client, index):
    topic = factories.make_topic(name="Databases", slug="databases")
    factories.make_post(index, title="Other", slug="other", topic=topic)
    post = factories.make_post(
        index,
        topic=topic,
        body=factories.markdown_body("## Part\n\nSee [the other](/posts/other/) *post*.\n"),
    )

    data = client.get(f"/api/v2/pages/{post.pk}/").json()

    assert data["body"][0]["type"] == "markdown"
    assert data["body"][0]["value"].startswith("## Part")
    html = data["body_html"]
    assert '<h2 id="part">Part</h2>' in html
    assert '<a href="http://localhost/posts/other/">the other</a> <em>post</em>' in html
    assert "x = 1" in html  # the code block, rendered


@pytest.mark.django_db
def test_home_detail_has_its_intro_featured_compilation_and_latest_posts(client, index, content):
    home = index.get_parent().specific
    home.intro = "Welcome *here*."
    home.featured_compilation = content["compilation"]
    factories.publish(home)

    data = client.get(f"/api/v2/pages/{home.pk}/").json()

    assert data["intro"] == "Welcome *here*."
    assert data["intro_html"] == "<p>Welcome <em>here</em>.</p>"
    assert data["featured_compilation"] == {
        "id": content["compilation"].pk,
        "title": "Django at Scale in Production",
        "summary": "The compilation.",
        "url": "/django-at-scale-in-production/",
        "full_url": "http://localhost/django-at-scale-in-production/",
        "sections": [{"heading": "Caching", "anchor": "caching"}],
    }
    assert [post["title"] for post in data["latest_posts"]] == ["Live post"]
    latest = data["latest_posts"][0]
    assert latest["topic"] == {"name": "Databases", "slug": "databases"}
    assert latest["url"] == content["post"].url
    assert latest["date"] == content["post"].date.isoformat()


@pytest.mark.django_db
def test_listing_detail_has_its_intro_and_topics(client, index, content):
    data = client.get(f"/api/v2/pages/{index.pk}/").json()

    assert data["meta"]["type"] == "blog.TopicIndexPage"
    assert "intro_html" in data
    databases = next(topic for topic in data["topics"] if topic["slug"] == "databases")
    assert databases == {
        "name": "Databases",
        "slug": "databases",
        "description": "About things.",
        "url": "/topics/databases/",
        "feed_url": "/topics/databases/feed/",
        "atom_feed_url": "/topics/databases/feed/atom/",
    }


@pytest.mark.django_db
def test_api_answers_carry_cache_control(client, content):
    listing = client.get("/api/v2/pages/")
    detail = client.get(f"/api/v2/pages/{content['post'].pk}/")
    missing = client.get(f"/api/v2/pages/{content['draft'].pk}/")

    assert listing["Cache-Control"] == "public, max-age=60"
    assert detail["Cache-Control"] == "public, max-age=60"
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_api_allows_no_other_origin_by_default(client, content):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example.com")
    preflight = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert preflight.status_code == 405


@pytest.mark.django_db
def test_api_allows_the_origins_the_setting_names(settings, content):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    client = Client()

    allowed = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example.com")
    other = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example")
    page = client.get("/", HTTP_ORIGIN="https://app.example.com")
    preflight = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    refused = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in page
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert refused.status_code == 405
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.django_db
def test_pages_can_be_filtered_by_type_with_fields(client, content):
    response = client.get("/api/v2/pages/", {"type": "blog.TopicPostPage", "fields": "summary"})

    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Live post"]
    assert items[0]["summary"] == content["post"].summary


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"])
def test_api_refuses_writes(client, content, method, url):
    response = getattr(client, method)(url, data="{}", content_type="application/json")

    assert response.status_code == 405


@pytest.mark.django_db
def test_api_refuses_writes_to_a_page(client, content):
    url = f"/api/v2/pages/{content['post'].pk}/"

    assert client.delete(url).status_code == 405
    assert client.put(url, data="{}", content_type="application/json").status_code == 405
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_images_and_documents_endpoints_answer(client, content):
    for url in ("/api/v2/images/", "/api/v2/documents/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["meta"]["total_count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["type=nope.Nope", "limit=abc", "fields=<script>", "order=nope", "offset=-1"]
)
def test_bad_api_queries_get_400_not_500(client, content, query):
    response = client.get(f"/api/v2/pages/?{query}")

    assert response.status_code == 400
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"])
def test_browsable_html_api_is_not_served(client, content, url):
    response = client.get(url, {"format": "api"}, HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert "csrftoken" not in response.cookies
    assert not response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_api_answers_json_to_a_browser_asking_for_html(client, content):
    response = client.get("/api/v2/pages/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "csrftoken" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "search", ['"', 'live "post', "post*)", "NEAR(live post)", "live OR -post", "x" * 3000]
)
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_search_with_parser_syntax_is_cleaned_like_the_site_search(
    client, content, endpoint, search
):
    response = client.get(f"/api/v2/{endpoint}/", {"search": search})

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_search_finds_the_words_of_a_query_with_a_stray_quote(client, content):
    response = client.get("/api/v2/pages/", {"search": 'live "post'})

    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "Live post" in titles


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["search=%22", "search=%20%21", "search=post&search_operator=x"])
def test_search_without_words_or_with_a_bad_operator_is_a_json_400(client, content, query):
    response = client.get(f"/api/v2/pages/?{query}")

    assert response.status_code == 400
    assert "message" in response.json()

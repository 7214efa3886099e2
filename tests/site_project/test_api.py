"""The read-only API at /api/v2/ (site_project/api.py): live public pages with their fields,
images, documents."""

import pytest
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
    entries = section["value"]["entries"]
    assert entries[0] == {
        "type": "post",
        "value": {"page": content["post"].pk, "annotation": "Read this first."},
        "id": entries[0]["id"],
    }
    assert entries[1]["value"]["url"] == "https://docs.djangoproject.com/en/5.2/topic-1/"


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

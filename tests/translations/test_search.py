"""Search and the API per language: /fr/search/ finds the French compilation's sections, and
the API's `locale` filter lists one language's pages."""

from types import SimpleNamespace

import pytest
from django.db import connection

from tests import factories
from translations.pages import translate

COMPILATION = "/django-at-scale-in-production/"


@pytest.mark.django_db
def test_french_search_finds_the_french_section(client, bilingual):
    response = client.get("/fr/search/", {"q": "connexions"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert f'href="/fr{COMPILATION}#databases"' in html
    assert "Bases de données" in html
    assert "résultat" in html


@pytest.mark.django_db
def test_french_search_shows_the_french_version_not_the_english_one(client, bilingual):
    html = client.get("/fr/search/", {"q": "pool"}).content.decode()
    assert f'href="{COMPILATION}#databases"' not in html


@pytest.mark.django_db
def test_english_search_shows_the_english_version_only(client, bilingual):
    html = client.get("/search/", {"q": "connections"}).content.decode()
    assert f'href="{COMPILATION}#databases"' in html
    assert "/fr/" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_search_results_are_kept_apart_per_language(settings, client, bilingual):
    settings.SEARCH_RESULTS_SECONDS = 60
    english = client.get("/search/", {"q": "databases"}).content.decode()
    french = client.get("/fr/search/", {"q": "databases"}).content.decode()
    assert '<html lang="en">' in english and '<html lang="fr">' in french


@pytest.mark.django_db
def test_french_search_page_is_never_stored_by_the_page_cache(settings, client, bilingual):
    settings.PAGE_CACHE_SECONDS = 300
    for _ in range(2):
        response = client.get("/fr/search/", {"q": "connexions"})
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_api_filters_pages_by_locale(client, bilingual):
    french = client.get("/api/v2/pages/", {"locale": "fr"}).json()
    english = client.get("/api/v2/pages/", {"locale": "en"}).json()

    french_ids = {item["id"] for item in french["items"]}
    assert french_ids == {bilingual.french_home.pk, bilingual.french_compilation.pk}
    assert all(item["meta"]["locale"] == "fr" for item in french["items"])
    assert bilingual.compilation.pk in {item["id"] for item in english["items"]}
    assert not french_ids & {item["id"] for item in english["items"]}


@pytest.mark.django_db
def test_api_unknown_locale_is_a_404_not_a_500(client, bilingual):
    assert client.get("/api/v2/pages/", {"locale": "xx"}).status_code == 404


@pytest.mark.django_db
def test_french_suggestions_name_the_french_section(client, bilingual):
    french = client.get("/fr/search/suggest/", {"q": "bases"}).json()["suggestions"]
    english = client.get("/search/suggest/", {"q": "databases"}).json()["suggestions"]

    assert {"title": "Bases de données", "url": f"/fr{COMPILATION}#databases"} in [
        {"title": s["title"], "url": s["url"]} for s in french
    ]
    assert all(s["url"] != f"{COMPILATION}#databases" for s in french)
    assert all(not s["url"].startswith("/fr/") for s in english)
    assert french[-1]["url"].startswith("/fr/search/?q=")


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="French stemming is PostgreSQL's (search/backends.py)"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="what SQLite's FTS5 index does without stemming"
)


@pytest.fixture
def french_logging_post(bilingual):
    """A post on logging, translated into French with a plural in -aux (“journaux”), which
    PostgreSQL's English configuration keeps as it is and its French one reduces to “journal”."""
    index = bilingual.post.get_parent().specific
    post = factories.make_post(
        index,
        title="Logging",
        slug="logging",
        summary="Where the logs go.",
        body=factories.markdown_body("Structured logs, shipped off the host."),
    )
    translate(index, "fr", {})
    french = translate(
        post,
        "fr",
        {"Logging": "Les journaux", "Where the logs go.": "Où partent les journaux applicatifs."},
    )
    return SimpleNamespace(english=post, french=french)


@postgresql_only
@pytest.mark.django_db
def test_french_search_finds_french_pages_by_their_french_stems(client, french_logging_post):
    html = client.get("/fr/search/", {"q": "journal"}).content.decode()
    assert f'href="{french_logging_post.french.url}"' in html
    # Each post once: its French version, not its English source.
    assert f'href="{french_logging_post.english.url}"' not in html


@postgresql_only
@pytest.mark.django_db
def test_french_search_still_finds_untranslated_english_posts(client, french_logging_post):
    html = client.get("/fr/search/", {"q": "connection"}).content.decode()
    assert 'href="/posts/connection-pooling/"' in html


@postgresql_only
@pytest.mark.django_db
def test_english_search_is_unchanged_and_english_only(client, french_logging_post):
    assert "/fr/" not in main(client.get("/search/", {"q": "journal"}).content.decode())
    html = client.get("/search/", {"q": "logs"}).content.decode()
    assert f'href="{french_logging_post.english.url}"' in html
    assert f'href="{french_logging_post.french.url}"' not in html


@sqlite_only
@pytest.mark.django_db
def test_on_sqlite_french_search_matches_words_as_written(client, french_logging_post):
    # FTS5 stems in no language: the word as written is found, another form of it is not.
    found = client.get("/fr/search/", {"q": "journaux"}).content.decode()
    assert f'href="{french_logging_post.french.url}"' in found
    other_form = client.get("/fr/search/", {"q": "journal"}).content.decode()
    assert f'href="{french_logging_post.french.url}"' not in other_form


def main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]

"""Readers: each page in its language, with a switcher and hreflang links to its other
languages (translations/alternates.py, templates/base.html)."""

import re

import pytest

from tests import factories
from tests.blog.conftest import parse_xml
from tests.serving.conftest import HIT, MISS
from translations.pages import translate

COMPILATION = "/django-at-scale-in-production/"


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_french_home_and_compilation_are_served_in_french(client, bilingual):
    for url in ("/fr/", "/fr" + COMPILATION):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "fr"
        assert response["Content-Language"] == "fr"
    html = client.get("/fr" + COMPILATION).content.decode()
    assert "<h1>Django à grande échelle en production</h1>" in html
    assert "Mutualisez vos connexions" in html
    assert "Sommaire" in html  # the interface, from locale/fr


@pytest.mark.django_db
def test_english_urls_are_unchanged_and_english(client, bilingual):
    for url in ("/", COMPILATION, "/posts/", bilingual.post.url, "/search/", "/search/?q=pool"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
    for url in ("/feed/", "/feed/atom/", "/sitemap.xml", "/robots.txt", "/api/v2/pages/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_pages_only_english_has_do_not_exist_under_the_french_prefix(client, bilingual):
    assert client.get("/fr" + bilingual.post.url).status_code == 404


@pytest.mark.django_db
def test_translated_pages_name_each_other_with_hreflang(client, bilingual):
    for url in (COMPILATION, "/fr" + COMPILATION):
        html = client.get(url).content.decode()
        assert f'<link rel="alternate" hreflang="en" href="http://localhost{COMPILATION}">' in html
        assert f'<link rel="alternate" hreflang="fr" href="http://localhost/fr{COMPILATION}">' in (
            html
        )
        assert (
            f'<link rel="alternate" hreflang="x-default" href="http://localhost{COMPILATION}">'
            in html
        )


@pytest.mark.django_db
def test_switcher_links_to_the_same_page_in_the_other_language(client, bilingual):
    english = client.get(COMPILATION).content.decode()
    french = client.get("/fr" + COMPILATION).content.decode()
    assert (
        f'<a href="/fr{COMPILATION}" hreflang="fr" lang="fr" data-keep-fragment>Français</a>'
        in (english)
    )
    assert f'<a href="{COMPILATION}" hreflang="en" lang="en" data-keep-fragment>English</a>' in (
        french
    )
    assert 'src="/static/js/languages.js"' in english


@pytest.mark.django_db
def test_a_page_in_one_language_has_no_switcher_or_alternates(client, bilingual):
    html = client.get(bilingual.post.url).content.decode()
    assert "language-switcher" not in html
    assert 'hreflang="fr"' not in html


@pytest.mark.django_db
def test_french_compilation_links_the_english_post_marked_with_its_language(client, bilingual):
    html = client.get("/fr" + COMPILATION).content.decode()
    assert (
        f'<a class="entry__title" href="{bilingual.post.url}" hreflang="en" lang="en">'
        "Connection pooling</a>" in html
    )
    assert '<span class="entry__language">(en)</span>' in html
    english = client.get(COMPILATION).content.decode()
    assert "entry__language" not in english


@pytest.mark.django_db
def test_french_compilation_links_the_french_post_once_there_is_one(client, bilingual):
    index_fr = translate(bilingual.post.get_parent(), "fr", {"Posts": "Articles"})
    french_post = translate(bilingual.post, "fr", {"Connection pooling": "Pools de connexions"})
    assert french_post.get_parent().pk == index_fr.pk

    html = client.get("/fr" + COMPILATION).content.decode()

    assert f'href="{french_post.url}">Pools de connexions</a>' in html
    assert "entry__language" not in html


@pytest.mark.django_db
def test_dates_follow_the_language(client, bilingual):
    assert "1 November 2026" in client.get(COMPILATION).content.decode()
    assert "1 novembre 2026" in client.get("/fr" + COMPILATION).content.decode()


@pytest.mark.django_db
def test_french_home_features_the_french_compilation_and_lists_the_posts(client, bilingual):
    html = client.get("/fr/").content.decode()
    assert f'href="/fr{COMPILATION}">Django à grande échelle en production</a>' in html
    assert "Connection pooling" in html  # the latest posts, still in English
    assert 'href="/posts/">Tous les articles (en anglais) →</a>' in html


@pytest.mark.django_db
def test_each_language_has_its_own_page_cache_entry(settings, client, bilingual):
    settings.PAGE_CACHE_SECONDS = 300
    english = [client.get(COMPILATION) for _ in range(2)]
    french = [client.get("/fr" + COMPILATION) for _ in range(2)]
    assert [r["X-Page-Cache"] for r in english] == [MISS, HIT]
    assert [r["X-Page-Cache"] for r in french] == [MISS, HIT]
    assert html_lang(english[1]) == "en" and html_lang(french[1]) == "fr"


@pytest.mark.django_db
def test_publishing_a_translation_refreshes_its_cached_page(settings, client, bilingual):
    settings.PAGE_CACHE_SECONDS = 300
    client.get("/fr" + COMPILATION)
    translate(bilingual.section, "fr", {"Databases": "Les bases de données"})
    response = client.get("/fr" + COMPILATION)
    assert response["X-Page-Cache"] != HIT
    assert "Les bases de données" in response.content.decode()


@pytest.mark.django_db
def test_an_untranslated_site_has_no_alternates(client, index):
    factories.make_compilation(index.get_parent(), [factories.section("A", [])])
    html = client.get(COMPILATION).content.decode()
    assert "hreflang" not in html


@pytest.mark.django_db
def test_sitemap_lists_both_languages_with_alternates(client, bilingual):
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    xhtml = "{http://www.w3.org/1999/xhtml}"
    root = parse_xml(client.get("/sitemap.xml").content)
    urls = {
        url.findtext(f"{sitemap}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{xhtml}link")
        }
        for url in root.findall(f"{sitemap}url")
    }
    english, french = f"http://localhost{COMPILATION}", f"http://localhost/fr{COMPILATION}"
    expected = {"en": english, "fr": french, "x-default": english}
    assert urls[english] == expected
    assert urls[french] == expected
    assert urls["http://localhost/fr/"]["en"] == "http://localhost/"
    assert urls[f"http://localhost{bilingual.post.url}"] == {}  # English only


@pytest.mark.django_db
def test_french_compilation_has_its_own_changes_log_and_feed(client, bilingual):
    log = client.get(f"/fr{COMPILATION}changes/")
    assert log.status_code == 200 and html_lang(log) == "fr"
    assert client.get(f"/fr{COMPILATION}changes/feed/").status_code == 200


@pytest.mark.django_db
def test_unknown_language_prefix_is_a_plain_404(client, bilingual):
    assert client.get("/de/").status_code == 404
    assert client.get("/fr/nowhere/").status_code == 404

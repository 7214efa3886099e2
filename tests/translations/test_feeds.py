"""Feeds per language: /fr/feed/ and the French compilation's changes feed list the French
pages, in French, and every page's head points at the feeds of its language."""

import pytest

from tests import factories
from translations.pages import translate


@pytest.fixture
def french_post(bilingual):
    index = bilingual.post.get_parent().specific
    translate(index, "fr", {})
    english = factories.make_post(index, title="Indexes", slug="indexes", summary="Which ones.")
    french = translate(english, "fr", {"Indexes": "Les index", "Which ones.": "Lesquels."})
    return english, french


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/fr/feed/", "/fr/feed/atom/"])
def test_french_feeds_list_the_french_post_not_its_source(client, french_post, url):
    english, french = french_post
    response = client.get(url)
    xml = response.content.decode()
    assert response.status_code == 200
    assert f"http://localhost{french.url}" in xml
    assert f"http://localhost{english.url}<" not in xml
    assert "Les index" in xml
    # Posts without a French version stay in the French feed, in English.
    assert "Connection pooling" in xml


@pytest.mark.django_db
def test_french_feed_declares_its_language_and_french_title(client, french_post):
    rss = client.get("/fr/feed/").content.decode()
    atom = client.get("/fr/feed/atom/").content.decode()
    assert "<language>fr</language>" in rss
    assert 'xml:lang="fr"' in atom
    assert "Django à grande échelle : articles" in rss


@pytest.mark.django_db
def test_english_feed_is_unchanged_and_english_only(client, french_post):
    english, french = french_post
    rss = client.get("/feed/").content.decode()
    assert "<language>en</language>" in rss
    assert "Django at Scale: posts" in rss
    assert f"http://localhost{english.url}" in rss
    assert "/fr/" not in rss


@pytest.mark.django_db
def test_french_topic_feed_lists_the_french_post(client, french_post):
    english, french = french_post
    xml = client.get(f"/fr/topics/{english.topic.slug}/feed/").content.decode()
    assert f"http://localhost{french.url}" in xml
    assert f"/fr/topics/{english.topic.slug}/" in xml


@pytest.mark.django_db
def test_french_changes_feed_is_in_french(client, bilingual):
    xml = client.get("/fr/django-at-scale-in-production/changes/feed/").content.decode()
    assert 'xml:lang="fr"' in xml
    assert "Django à grande échelle en production : ce qui a changé" in xml
    assert "http://localhost/fr/django-at-scale-in-production/changes/" in xml


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/fr/", "/fr/django-at-scale-in-production/", "/fr/django-at-scale-in-production/changes/"],
)
def test_french_pages_point_at_the_french_feeds(client, bilingual, url):
    html = client.get(url).content.decode()
    title = "Django à grande échelle : articles"
    assert f'type="application/atom+xml" title="{title} (Atom)" href="/fr/feed/atom/"' in html
    assert f'type="application/rss+xml" title="{title} (RSS)" href="/fr/feed/"' in html


@pytest.mark.django_db
def test_french_changes_log_points_at_its_french_feed(client, bilingual):
    html = client.get("/fr/django-at-scale-in-production/changes/").content.decode()
    assert 'href="/fr/django-at-scale-in-production/changes/feed/"' in html


@pytest.mark.django_db
def test_english_pages_point_at_the_english_feeds(client, bilingual):
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert 'title="Django at Scale: posts (Atom)" href="/feed/atom/"' in html
    assert 'href="/fr/feed/' not in html

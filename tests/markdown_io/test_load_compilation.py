"""The seed command (markdown_io/management/commands/load_compilation.py) builds the whole site,
can run again, and links nothing that is missing."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision, Site

from blog.models import Author, CompilationPage, Topic, TopicIndexPage, TopicPostPage
from home.models import HomePage


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def hrefs(html):
    parser = Hrefs()
    parser.feed(html)
    return parser.hrefs


def snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        list(Page.objects.values_list("pk", "latest_revision_id", "live").order_by("pk")),
        Topic.objects.count(),
        Author.objects.count(),
    )


@pytest.mark.django_db
def test_seed_builds_the_tree(seeded):
    home = HomePage.objects.get(locale=Locale.get_default())
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    compilation = CompilationPage.objects.child_of(home).get()
    index = TopicIndexPage.objects.child_of(home).get()
    posts = TopicPostPage.objects.child_of(index).live()
    assert compilation.url == "/django-at-scale-in-production/"
    assert index.url == "/posts/"
    assert posts.count() >= 12
    assert len(compilation.body) >= 10
    assert home.featured_compilation_id == compilation.pk
    assert Topic.objects.count() >= 6 and Author.objects.exists()


@pytest.mark.django_db
def test_seed_posts_meet_the_content_bar(seeded):
    for post in TopicPostPage.objects.all():
        words = len(re.findall(r"\w+", post.body_text))
        types = {block.block_type for block in post.body}
        doc_links = set(re.findall(r"\]\((https://[^)\s]+)\)", post.body_text))
        for block in post.body:
            if block.block_type == "links":
                doc_links |= {link["url"] for link in block.value["links"]}
        assert words >= 400, post.slug
        assert "code" in types, post.slug
        assert len(doc_links) >= 3, post.slug
        assert post.tags.exists() and post.authors.exists(), post.slug


@pytest.mark.django_db
def test_seed_compilation_links_every_post_and_30_documentation_pages(seeded, client):
    html = client.get("/django-at-scale-in-production/").content.decode()
    links = hrefs(html)
    posts = {post.url for post in TopicPostPage.objects.live()}
    external = {h for h in links if h.startswith("https://")}

    assert posts <= set(links)
    assert len(external) >= 30


@pytest.mark.django_db
def test_seed_compilation_stores_an_id_for_every_section_and_entry(seeded):
    body = list(CompilationPage.objects.get(locale=Locale.get_default()).body.raw_data)
    ids = [section["id"] for section in body] + [
        entry["id"] for section in body for entry in section["value"]["entries"]
    ]

    assert all(ids) and len(set(ids)) == len(ids) > 50


@pytest.mark.django_db
def test_second_run_changes_nothing(seeded):
    before = snapshot()
    out = io.StringIO()

    call_command("load_compilation", stdout=out)

    assert snapshot() == before
    assert "Nothing to create" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_skips_a_site_with_content(seeded):
    before = snapshot()
    out = io.StringIO()

    call_command("load_compilation", if_empty=True, stdout=out)

    assert snapshot() == before
    assert "already has content" in out.getvalue()


@pytest.mark.django_db
def test_reset_rebuilds_edited_pages(seeded):
    post = TopicPostPage.objects.get(slug="caching")
    post.title = "Edited by hand"
    post.save_revision().publish()

    call_command("load_compilation", reset=True, stdout=io.StringIO())

    assert TopicPostPage.objects.get(slug="caching").title != "Edited by hand"
    assert HomePage.objects.count() == 2  # English and its French translation


@pytest.mark.django_db
def test_every_internal_link_on_the_seeded_site_resolves(seeded, client):
    seen, queue = set(), ["/", "/django-at-scale-in-production/", "/posts/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for href in hrefs(response.content.decode()):
            path = href.split("#")[0]
            if path.startswith("/") and not path.startswith(("/admin", "/static")):
                queue.append(path)
    assert len(seen) >= 16


@pytest.mark.django_db
def test_the_seed_gives_every_section_and_entry_the_same_id_each_time():
    def ids():
        page = CompilationPage.objects.get(locale=Locale.get_default())
        return [
            (block["id"], [entry["id"] for entry in block["value"]["entries"]])
            for block in page.body.raw_data
        ]

    call_command("load_compilation", stdout=io.StringIO())
    first = ids()
    call_command("load_compilation", "--reset", stdout=io.StringIO())

    assert ids() == first
    assert all(section_id and all(entry_ids) for section_id, entry_ids in first)


@pytest.mark.django_db
def test_seed_builds_the_home_page_and_compilation_in_french_as_translations(seeded, client):
    english = CompilationPage.objects.get(locale=Locale.get_default())
    french = english.get_translation(Locale.objects.get(language_code="fr"))
    french_home = HomePage.objects.get(locale__language_code="fr")

    assert french.live and french_home.live
    assert french.url == "/fr/django-at-scale-in-production/"
    assert french_home.url == "/fr/"
    english_home = HomePage.objects.get(locale=english.locale)
    assert french_home.translation_key == english_home.translation_key
    assert french.title == "Django à grande échelle en production"
    response = client.get(french.url)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
def test_seed_french_compilation_has_every_section_and_annotation_in_french(seeded):
    english = CompilationPage.objects.get(locale=Locale.get_default())
    french = english.get_translation(Locale.objects.get(language_code="fr")).specific

    assert french.intro and french.intro != english.intro
    pairs = list(zip(english.body, french.body, strict=True))
    assert len(pairs) == 20
    for source, translated in pairs:
        assert translated.value["anchor"] == source.value["anchor"]  # links to #sections hold
        assert translated.value["heading"] != source.value["heading"]
        assert translated.value["text"] != source.value["text"]
        entries = list(zip(source.value["entries"], translated.value["entries"], strict=True))
        for entry, french_entry in entries:
            assert french_entry.value["annotation"] != entry.value["annotation"]


@pytest.mark.django_db
def test_seed_translates_every_topic_into_french(seeded, client):
    english = {
        topic.translation_key: topic for topic in Topic.objects.filter(locale__language_code="en")
    }
    french = Topic.objects.filter(locale__language_code="fr")
    assert len(english) == 6 and french.count() == 6
    for topic in french:
        source = english[topic.translation_key]
        assert topic.slug == source.slug
        assert topic.description and topic.description != source.description
    html = client.get("/fr/topics/database/").content.decode()
    assert "Bases de données et ORM" in html


@pytest.mark.django_db
def test_seed_sections_are_pages_and_french_ones_translate_them(seeded):
    english = CompilationPage.objects.get(locale=Locale.get_default())
    french = english.get_translation(Locale.objects.get(language_code="fr")).specific
    sections = list(english.section_pages())
    french_sections = list(french.section_pages())

    assert english.has_section_pages and french.has_section_pages
    assert [str(s.translation_key) for s in sections] == [b["id"] for b in english.body.raw_data]
    assert [s.translation_key for s in french_sections] == [s.translation_key for s in sections]
    assert [s.title for s in french_sections] == [b.value["heading"] for b in french.body]
    assert [s.title for s in french_sections] != [s.title for s in sections]

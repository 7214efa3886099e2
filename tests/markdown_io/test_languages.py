"""`language:` in the front matter of posts and compilations: import puts the page in that
language (as the translation of the default language's page with the same slug), export
writes it back."""

import pytest
from django.core.management import CommandError
from wagtail.models import Locale

from blog.models import CompilationPage, TopicPostPage
from tests import factories
from tests.markdown_io.conftest import POST, call
from translations.pages import translate

FRENCH_POST = POST.replace(
    'title: "Caching: a field guide"', 'title: "Le cache : un guide"'
).replace("tags: redis, cache", "tags: redis, cache\nlanguage: fr")
COMPILATION = """---
type: compilation
title: Django à grande échelle
slug: scale
summary: Une phrase.
language: fr
---
L'introduction.

## Le cache
<!--
anchor: caching
-->

Le texte.

<!-- entries -->
- [Caching](<post:caching-guide>) — À lire d'abord.
"""


@pytest.fixture
def french_site(index):
    """The home page and the post listing translated into French."""
    home = index.get_parent().specific
    translate(home, "fr", {})
    translate(index, "fr", {})
    return index


@pytest.mark.django_db
def test_french_file_becomes_the_translation_of_the_english_post(
    french_site, snippets, post_file, tmp_path
):
    call("import_markdown", "--publish", post_file)
    french_file = tmp_path / "in" / "caching-guide.fr.md"
    french_file.write_text(FRENCH_POST, encoding="utf-8")

    output = call("import_markdown", "--publish", french_file)

    english = TopicPostPage.objects.get(slug="caching-guide", locale__language_code="en")
    french = TopicPostPage.objects.get(slug="caching-guide", locale__language_code="fr")
    assert "created (translation into fr), published" in output
    assert french.translation_key == english.translation_key
    assert french.title == "Le cache : un guide" and english.title == "Caching: a field guide"
    assert french.url == "/fr/posts/caching-guide/"
    assert french.topic_id == english.topic_id


@pytest.mark.django_db
def test_importing_the_french_file_again_changes_nothing(
    french_site, snippets, post_file, tmp_path
):
    call("import_markdown", "--publish", post_file)
    french_file = tmp_path / "in" / "caching-guide.fr.md"
    french_file.write_text(FRENCH_POST, encoding="utf-8")
    call("import_markdown", "--publish", french_file)

    output = call("import_markdown", "--publish", french_file)

    assert "caching-guide: unchanged" in output
    assert TopicPostPage.objects.filter(slug="caching-guide").count() == 2


@pytest.mark.django_db
def test_a_file_without_language_stays_in_the_default_language(index, snippets, post_file):
    call("import_markdown", post_file)
    assert TopicPostPage.objects.get(slug="caching-guide").locale == Locale.get_default()


@pytest.mark.django_db
def test_an_unknown_language_is_refused_with_its_line(index, snippets, post_file):
    post_file.write_text(POST.replace("topic: performance", "topic: performance\nlanguage: xx"))
    with pytest.raises(CommandError, match=r"caching-guide.md:7: unknown language 'xx'"):
        call("import_markdown", post_file)
    assert not TopicPostPage.objects.exists()


@pytest.mark.django_db
def test_a_french_post_without_english_source_goes_under_the_french_listing(
    french_site, snippets, post_file
):
    post_file.write_text(FRENCH_POST, encoding="utf-8")
    call("import_markdown", post_file)
    french = TopicPostPage.objects.get(slug="caching-guide")
    assert french.locale.language_code == "fr"
    assert french.get_parent().locale.language_code == "fr"


@pytest.mark.django_db
def test_french_compilation_file_translates_the_english_one(
    french_site, snippets, post_file, tmp_path
):
    call("import_markdown", "--publish", post_file)
    english = factories.make_compilation(
        french_site.get_parent().specific,
        [factories.section("Caching", [], anchor="caching")],
        slug="scale",
    )
    path = tmp_path / "scale.fr.md"
    path.write_text(COMPILATION, encoding="utf-8")

    output = call("import_markdown", "--publish", path)

    french = CompilationPage.objects.get(slug="scale", locale__language_code="fr")
    assert "compilation scale: created (translation into fr), published" in output
    assert french.translation_key == english.translation_key
    assert french.body[0].value["heading"] == "Le cache"
    assert CompilationPage.objects.get(pk=english.pk).title == english.title
    # Its section translates the English section with the same anchor.
    [english_section] = english.section_pages()
    [french_section] = french.section_pages()
    assert french_section.translation_key == english_section.translation_key
    assert french_section.title == "Le cache" and english_section.title == "Caching"


@pytest.mark.django_db
def test_export_writes_the_language_of_translations_only(
    french_site, snippets, post_file, tmp_path
):
    call("import_markdown", "--publish", post_file)
    french_file = tmp_path / "in" / "caching-guide.fr.md"
    french_file.write_text(FRENCH_POST, encoding="utf-8")
    call("import_markdown", "--publish", french_file)

    call("export_markdown", "--live", tmp_path / "out")

    english_text = (tmp_path / "out" / "caching-guide.md").read_text()
    french_text = (tmp_path / "out" / "caching-guide.fr.md").read_text()
    assert "language:" not in english_text
    assert "language: fr" in french_text
    assert "title: 'Le cache : un guide'" in french_text or "Le cache : un guide" in french_text

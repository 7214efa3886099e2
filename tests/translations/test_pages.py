"""Translations made through wagtail-localize (translations/pages.py) and edited as the
translation editor does it."""

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from blog.models import CompilationPage
from tests import factories
from translations.pages import translate, translate_compilation

from .conftest import FRENCH


@pytest.mark.django_db
def test_translation_is_linked_to_its_source(bilingual):
    french = bilingual.french_compilation
    assert french.translation_key == bilingual.compilation.translation_key
    assert french.locale.language_code == "fr"
    assert french.live
    assert french.title == "Django à grande échelle en production"


@pytest.mark.django_db
def test_untranslated_strings_fall_back_to_the_source(bilingual):
    section = bilingual.french_compilation.body[0].value
    assert section["heading"] == "Bases de données"
    # Not given a translation: the English text, never a blank.
    assert section["applies_to"] == "Django 5.2"
    link = section["entries"][1].value
    assert link["title"] == "Doc page 1"
    assert link["annotation"] == "La référence."


@pytest.mark.django_db
def test_translating_again_changes_only_what_changed(bilingual):
    before = bilingual.french_compilation.latest_revision_id
    again = translate(bilingual.compilation, "fr", FRENCH)
    assert again.pk == bilingual.french_compilation.pk
    assert again.latest_revision_id != before
    assert CompilationPage.objects.filter(slug=again.slug).count() == 2


@pytest.mark.django_db
def test_editor_publishes_a_translated_section_and_english_is_unchanged(
    client, editor, bilingual, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    french = bilingual.french_section
    translation = Translation.objects.get(
        source__object_id=bilingual.section.translation_key,
        target_locale=Locale.objects.get(language_code="fr"),
    )
    segment = StringSegment.objects.get(source=translation.source, string__data="Databases")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])

    response = client.put(
        url,
        "value=Bases+de+donn%C3%A9es+et+pools",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[french.pk]), {"action": "publish"}
        )
    assert response.status_code == 302
    client.logout()

    french_html = client.get("/fr/django-at-scale-in-production/").content.decode()
    english_html = client.get("/django-at-scale-in-production/").content.decode()
    assert "Bases de données et pools" in french_html
    assert "Bases de données et pools" not in english_html
    assert ">Databases<" in english_html


def french_translation(bilingual, page="section"):
    return Translation.objects.get(
        source__object_id=getattr(bilingual, page).translation_key,
        target_locale=Locale.objects.get(language_code="fr"),
    )


@pytest.mark.django_db
def test_editor_downloads_the_translation_as_a_po_file(client, editor, bilingual):
    client.force_login(editor)
    translation = french_translation(bilingual)

    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))

    assert response.status_code == 200
    po = response.content.decode()
    assert 'msgid "Databases"' in po
    assert 'msgstr "Bases de données"' in po


@pytest.mark.django_db
def test_a_new_english_section_translated_without_strings_shows_in_english_in_french(
    client, bilingual
):
    english = bilingual.compilation
    raw = list(english.body.raw_data)
    raw.append(
        {
            "type": "section",
            "id": "6b0e4a39-3c2e-4f0c-9d1e-1a2b3c4d5e6f",
            "value": {
                "heading": "Caching",
                "anchor": "caching",
                "reviewed": "2026-11-01",
                "applies_to": "Django 5.2",
                "text": "Measure first.",
                "entries": [],
            },
        }
    )
    factories.publish_sections(english, raw)

    translate_compilation(english, "fr", {})

    html = client.get("/fr/django-at-scale-in-production/").content.decode()
    assert "Bases de données" in html  # kept
    assert ">Caching<" in html and "Measure first." in html  # the source text, not a blank


@pytest.mark.django_db
def test_a_french_section_links_its_post_in_french_once_translated(client, bilingual):
    index = bilingual.post.get_parent().specific
    translate(index, "fr", {})
    french_post = translate(bilingual.post, "fr", {"Connection pooling": "Mutualiser"})

    html = client.get("/fr/django-at-scale-in-production/").content.decode()

    assert bilingual.french_section.get_parent().pk == bilingual.french_compilation.pk
    assert f'href="{french_post.url}"' in html and ">Mutualiser<" in html


@pytest.mark.django_db
def test_a_french_compilation_stored_as_one_body_is_split_into_translated_sections(client, index):
    from blog.models import CompilationSectionPage
    from blog.sections import split_every_compilation

    home = index.get_parent().specific
    section = factories.section("Databases", [factories.link_entry(1)], anchor="databases")
    section["id"] = "5d7e0f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6"
    english = home.add_child(
        instance=CompilationPage(
            title="C", slug="c", summary="S", body=[section], has_section_pages=False
        )
    )
    factories.publish(english)
    Locale.objects.get_or_create(language_code="fr")
    translate(home, "fr", {})
    french = translate(english, "fr", {"C": "C en français"}).specific
    french.body = [{**section, "value": {**section["value"], "heading": "Bases de données"}}]
    factories.publish(french)
    before = client.get("/fr/c/").content

    split_every_compilation()  # what follows `migrate`

    french_section = CompilationSectionPage.objects.get(locale__language_code="fr")
    english_section = CompilationSectionPage.objects.get(locale=Locale.get_default())
    assert french_section.translation_key == english_section.translation_key
    assert str(english_section.translation_key) == section["id"]
    assert french_section.get_parent().pk == french.pk
    assert (french_section.title, english_section.title) == ("Bases de données", "Databases")
    assert client.get("/fr/c/").content == before

"""Revision compare of a compilation (editorial/compare.py): only the sections and entries that
changed are shown, the rest folded; text saved from the admin keeps \\n line endings."""

import copy
import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from blog.models import CompilationPage
from tests import factories

SLUG = "django-at-scale-in-production"


def seeded_compilation():
    return CompilationPage.objects.get(slug=SLUG, locale=Locale.get_default())


def save_edit(page, editor, change):
    """The compilation's sections published with change(raw body) applied, through their
    section pages; returns the compilation's revision that publish made."""
    raw = copy.deepcopy(list(page.body.raw_data))
    change(raw)
    factories.publish_sections(page, raw)
    return CompilationPage.objects.get(pk=page.pk).latest_revision


def compare(client, page, revision_a, revision_b):
    url = reverse(
        "wagtailadmin_pages:revisions_compare", args=(page.pk, revision_a.pk, revision_b.pk)
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def folded(html, noun):
    """How many sections or entries the compare view folded away."""
    plural = "sections" if noun == "section" else "entries"
    return sum(int(n) for n in re.findall(rf"(\d+) (?:{noun}|{plural}) unchanged", html))


def annotation(raw, section, entry):
    return raw[section]["value"]["entries"][entry]["value"]["annotation"]


@pytest.mark.django_db
def test_a_one_entry_change_shows_only_that_entry(client, editor, seeded):
    page = seeded_compilation()
    first = page.latest_revision
    raw = list(page.body.raw_data)
    untouched_here = annotation(raw, 2, 1)
    elsewhere = annotation(raw, 0, 0)

    def edit(body):
        body[2]["value"]["entries"][0]["value"]["annotation"] = "A sharper line on why."

    latest = save_edit(page, editor, edit)
    client.force_login(editor)

    html = compare(client, page, first, latest)

    assert "sharper line on why" in html
    assert untouched_here not in html and elsewhere not in html
    sections = sum(1 for b in raw if b["type"] == "section")
    assert folded(html, "section") == sections - 1
    assert folded(html, "entry") == len(raw[2]["value"]["entries"]) - 1
    # Far from reprinting the compilation: a fraction of its text.
    assert len(html) < 80_000


@pytest.mark.django_db
def test_a_moved_section_is_shown_as_moved_and_nothing_else(client, editor, seeded):
    page = seeded_compilation()
    first = page.latest_revision
    raw = list(page.body.raw_data)
    moved_heading = raw[1]["value"]["heading"]

    latest = save_edit(page, editor, lambda body: body.insert(4, body.pop(1)))
    client.force_login(editor)

    html = compare(client, page, first, latest)

    assert "Moved" in html and moved_heading in html
    assert annotation(raw, 1, 0) not in html
    assert "Changed" not in html and "Added" not in html and "Removed" not in html


@pytest.mark.django_db
def test_added_and_removed_entries_are_marked(client, editor, seeded):
    page = seeded_compilation()
    first = page.latest_revision
    raw = list(page.body.raw_data)
    removed = annotation(raw, 0, 1)

    def edit(body):
        entries = body[0]["value"]["entries"]
        entries.pop(1)
        entries.append(factories.link_entry(99, annotation="A brand new link."))

    latest = save_edit(page, editor, edit)
    client.force_login(editor)

    html = compare(client, page, first, latest)

    assert "Added" in html and "A brand new link." in html
    assert "Removed" in html and removed in html


@pytest.mark.django_db
def test_text_saved_from_the_admin_has_unix_line_endings(client, editor, index):
    post = factories.make_post(index)
    page = factories.make_compilation(
        index.get_parent().specific,
        [factories.section("Caching", [factories.post_entry(post)], anchor="caching")],
    )
    section = page.get_children().get()
    client.force_login(editor)
    edit = "wagtailadmin_pages:edit"
    data = factories.compilation_form_data(post, intro="First line.\r\nSecond line.")
    assert client.post(reverse(edit, args=(page.pk,)), data).status_code == 302
    data = factories.section_form_data(post, text="One.\r\n\r\nTwo.")
    assert client.post(reverse(edit, args=(section.pk,)), data).status_code == 302

    assert CompilationPage.objects.get(pk=page.pk).latest_revision.content["intro"] == (
        "First line.\nSecond line."
    )
    section.refresh_from_db()
    assert section.get_latest_revision().content["text"] == "One.\n\nTwo."


@pytest.mark.django_db
def test_a_section_pages_one_entry_change_shows_only_that_entry(client, editor, seeded):
    section = seeded_compilation().section_pages()[2]
    first = section.latest_revision
    draft = section.get_latest_revision_as_object()
    raw = copy.deepcopy(list(draft.entries.raw_data))
    untouched = raw[1]["value"]["annotation"]
    raw[0]["value"]["annotation"] = "A sharper line on why."
    draft.entries = raw
    latest = draft.save_revision(user=editor)
    client.force_login(editor)

    html = compare(client, section, first, latest)

    assert "sharper line on why" in html and untouched not in html
    assert folded(html, "entry") == len(raw) - 1

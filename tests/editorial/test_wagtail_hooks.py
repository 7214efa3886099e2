"""Editors notice compilation sections not reviewed for a year; the accessibility checker runs
the stricter rule set."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.review import stale_sections
from tests import factories

TODAY = timezone.localdate()
FRESH = TODAY - datetime.timedelta(days=100)
A_YEAR_AGO = TODAY - datetime.timedelta(days=365)
OLD = TODAY - datetime.timedelta(days=366)


def section_reviewed(heading, reviewed):
    block = factories.section(heading, [factories.link_entry(1)])
    block["value"]["reviewed"] = reviewed
    return block


@pytest.fixture
def compilation(home):
    return factories.make_compilation(
        home,
        [
            section_reviewed("Fresh", FRESH.isoformat()),
            section_reviewed("Exactly a year", A_YEAR_AGO.isoformat()),
            section_reviewed("Old", OLD.isoformat()),
            section_reviewed("Never", None),
        ],
    )


@pytest.mark.django_db
def test_sections_older_than_a_year_or_never_reviewed_are_due(compilation):
    due = stale_sections(compilation, today=TODAY)

    assert due == [("Old", OLD), ("Never", None)]


@pytest.mark.django_db
def test_edit_view_warns_about_sections_due_for_review(client, editor, compilation, settings):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=(compilation.pk,))).content.decode()

    assert "not reviewed for over a year" in html
    assert f"“Old” (reviewed {OLD.isoformat()})" in html and "“Never” (never reviewed)" in html
    assert "“Fresh”" not in html


@pytest.mark.django_db
def test_dashboard_lists_sections_due_for_review(client, editor, compilation):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Compilation sections due for review" in html
    assert f"Old — reviewed {OLD.day} {OLD:%B %Y}" in html and "Never — never reviewed" in html
    assert reverse("wagtailadmin_pages:edit", args=(compilation.pk,)) in html


@pytest.mark.django_db
def test_no_warning_when_every_section_is_recent(client, editor, home):
    recent = factories.make_compilation(home, [section_reviewed("Fresh", "2099-01-01")])
    client.force_login(editor)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(recent.pk,))).content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "not reviewed for over a year" not in edit
    assert "Compilation sections due for review" not in dashboard


@pytest.mark.django_db
def test_accessibility_checker_runs_contrast_and_alt_text_rules_for_editors(client, editor, home):
    client.force_login(editor)

    userbar = client.get("/").content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).content.decode()

    for html in (userbar, edit):
        assert "color-contrast" in html
        assert "image-alt" in html and "page-has-heading-one" in html


@pytest.mark.django_db
def test_readers_get_no_userbar(client, home):
    assert "color-contrast" not in client.get("/").content.decode()

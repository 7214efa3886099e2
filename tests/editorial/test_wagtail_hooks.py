"""Editorial hooks (editorial/wagtail_hooks.py): compilation sections not reviewed for a year on
the dashboard and the edit view, the accessibility checker's stricter rule set, and the publish
guard that keeps a compilation from pointing at unpublished posts."""

import pytest
from django.urls import reverse

from tests import factories
from tests.editorial.conftest import OLD, section_reviewed


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


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


@pytest.mark.django_db
def test_publishing_refuses_entries_that_point_at_drafts_but_keeps_the_draft(client, editor, index):
    client.force_login(editor)
    draft_post = factories.make_post(index, live=False, title="Not yet")
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    section = compilation.get_children().get()
    data = factories.section_form_data(draft_post, **{"action-publish": "publish"})

    response = client.post(edit_url(section), data, follow=True)

    html = response.content.decode()
    assert "Not published" in html and "“Not yet” is not published" in html
    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Old"  # the live page is unchanged
    section.refresh_from_db()
    draft = section.specific.get_latest_revision_as_object()
    assert draft.title == "Caching"  # nothing the editor wrote is lost
    assert section.has_unpublished_changes


@pytest.mark.django_db
def test_publishing_goes_ahead_when_every_post_entry_is_live(client, editor, index):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    section = compilation.get_children().get()
    data = factories.section_form_data(post, **{"action-publish": "publish"})

    client.post(edit_url(section), data)

    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Caching"
    assert not compilation.has_unpublished_changes


@pytest.mark.django_db
def test_saving_a_draft_with_a_draft_post_entry_is_allowed(client, editor, index):
    client.force_login(editor)
    draft_post = factories.make_post(index, live=False)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    section = compilation.get_children().get()

    response = client.post(edit_url(section), factories.section_form_data(draft_post))

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.specific.get_latest_revision_as_object().title == "Caching"

"""Link health in the admin (linkhealth/wagtail_hooks.py): the dashboard panel and the warning
on opening a compilation whose entries link to a broken URL."""

import pytest
from django.urls import reverse

from tests import factories

REPORT = "/admin/reports/links/"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_dashboard_panel_shows_the_broken_count(client, editor, checked):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Link health" in html and "3 broken links" in html
    assert f'href="{REPORT}"' in html


@pytest.mark.django_db
def test_dashboard_panel_before_any_check(client, editor, home):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Links have not been checked yet." in html


@pytest.mark.django_db
def test_editor_warns_when_compilation_entries_have_broken_links(client, editor, server, checked):
    client.force_login(editor)

    html = client.get(edit_url(checked["compilation"])).content.decode()

    assert "2 entries link to a broken URL, in Caching: each is marked on its entry." in html
    assert "Open the link report" in html


@pytest.mark.django_db
def test_the_section_editor_warns_about_its_own_broken_links(client, editor, server, checked):
    client.force_login(editor)
    section = checked["compilation"].get_children().get(slug="caching")

    html = client.get(edit_url(section)).content.decode()

    assert "2 entries link to a broken URL, in Caching: each is marked on its entry." in html


@pytest.mark.django_db
def test_no_warning_when_entries_are_healthy(client, editor, home, index):
    client.force_login(editor)
    compilation = factories.make_compilation(home, [factories.section("Empty", [])])

    html = client.get(edit_url(compilation)).content.decode()

    assert "link to a broken URL" not in html and "links to a broken URL" not in html

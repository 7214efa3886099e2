"""The link status of a page's entries for the editor (linkhealth.views.page_link_status): the
broken and redirected URLs of its link entries, for editors only."""

import pytest
from django.urls import reverse

from linkhealth.models import LinkCheck, Outcome
from tests import factories


def url(page):
    return reverse("linkhealth_page_status", args=(page.pk,))


@pytest.mark.django_db
def test_broken_and_redirected_entries_are_listed_for_the_editor(client, editor, home):
    broken = "https://docs.djangoproject.com/en/5.2/topic-1/"
    moved = "https://docs.djangoproject.com/en/5.2/topic-2/"
    fine = "https://docs.djangoproject.com/en/5.2/topic-3/"
    page = factories.make_compilation(
        home,
        [factories.section("A", [factories.link_entry(n) for n in (1, 2, 3)])],
    )
    LinkCheck.objects.create(url=broken, host="docs", outcome=Outcome.CLIENT_ERROR, status_code=404)
    LinkCheck.objects.create(
        url=moved,
        host="docs",
        outcome=Outcome.REDIRECT,
        status_code=301,
        final_url=moved + "new/",
        redirects=[moved + "new/"],
    )
    LinkCheck.objects.create(url=fine, host="docs", outcome=Outcome.OK, status_code=200)
    client.force_login(editor)

    links = client.get(url(page)).json()["links"]
    # The section page's editor marks the same entries.
    section_links = client.get(url(page.get_children().get())).json()["links"]

    assert set(links) == set(section_links) == {broken, moved}
    assert links[broken]["broken"] and links[broken]["result"] == "404"
    assert not links[moved]["broken"] and links[moved]["label"] == "Redirected"


@pytest.mark.django_db
def test_readers_and_unknown_pages_get_nothing(client, editor, home):
    page = factories.make_compilation(home, [factories.section("A", [factories.link_entry(1)])])

    assert client.get(url(page)).status_code in (302, 403)
    client.force_login(editor)
    assert client.get(reverse("linkhealth_page_status", args=(999999,))).status_code == 404

"""The editor's public note on a publish (changes/wagtail_hooks.py, changes/notes.py), written
in the compilation's edit form and shown with that publish's changes."""

import feedparser
import pytest
from django.urls import reverse

from changes.models import PublishNote
from tests import factories

URL = "/django-at-scale-in-production/changes/"


@pytest.fixture
def compilation(home):
    return factories.make_compilation(home, [factories.section("Old", [])])


def publish_from_admin(client, compilation, post, **fields):
    """The compilation's section published from its edit form (the compilation publishes it)."""
    section = compilation.get_children().get()
    data = factories.section_form_data(post, **{"action-publish": "publish", **fields})
    return client.post(reverse("wagtailadmin_pages:edit", args=(section.pk,)), data)


@pytest.mark.django_db
def test_edit_form_offers_the_note(client, editor, compilation):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(compilation.pk,))).content.decode()
    assert 'name="change_note"' in html and "Note for readers" in html


@pytest.mark.django_db
def test_note_shows_with_its_publish_on_the_page_and_in_the_feed(
    client, editor, index, compilation
):
    client.force_login(editor)
    post = factories.make_post(index)
    publish_from_admin(client, compilation, post, change_note="Caching <b>rewritten</b> for 5.2.")
    client.logout()

    compilation.refresh_from_db()
    assert not compilation.has_unpublished_changes
    html = client.get(URL).content.decode()
    newest = html[html.index('class="publish"') :]
    assert "Caching &lt;b&gt;rewritten&lt;/b&gt; for 5.2." in newest[: newest.index("</section>")]
    feed = feedparser.parse(client.get(URL + "feed/").content)
    # The entry's HTML carries the note as text, its markup escaped.
    assert "<p>Caching &lt;b&gt;rewritten&lt;/b&gt; for 5.2.</p>" in feed.entries[0].summary


@pytest.mark.django_db
def test_the_next_publish_starts_without_a_note(client, editor, index, compilation):
    client.force_login(editor)
    post = factories.make_post(index)
    publish_from_admin(client, compilation, post, change_note="First.")
    publish_from_admin(client, compilation, post, title="Renamed", change_note="")

    notes = PublishNote.objects.filter(revision__object_id=str(compilation.pk))
    assert list(notes.values_list("text", flat=True)) == ["First."]


@pytest.mark.django_db
def test_a_refused_publish_shows_no_note(client, editor, index, compilation):
    client.force_login(editor)
    draft = factories.make_post(index, live=False)
    publish_from_admin(client, compilation, draft, change_note="Never shown.")
    client.logout()

    assert "Never shown." not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_too_long_a_note_is_refused_with_a_message(client, editor, index, compilation):
    client.force_login(editor)
    post = factories.make_post(index)
    response = publish_from_admin(client, compilation, post, change_note="x" * 281)

    assert response.status_code == 200  # the form again, with the error
    assert "Ensure this value has at most 280 characters" in response.content.decode()
    assert not PublishNote.objects.exists()

"""A page's history (editorial/history.py): autosave's "Draft saved" rows one after another by
the same editor are merged into one; other actions and other editors keep their rows."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests import factories


def draft_rows(page):
    return list(
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.edit").order_by("timestamp")
    )


def save_draft(client, post, title):
    data = factories.post_form_data(post.topic, slug=post.slug, title=title)
    assert client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data).status_code in (
        200,
        302,
    )


@pytest.mark.django_db
def test_draft_saves_in_a_row_by_one_editor_are_one_history_row(client, editor, index):
    post = factories.make_post(index)
    client.force_login(editor)

    for n in range(5):
        save_draft(client, post, f"Draft {n}")

    rows = draft_rows(post)
    assert len(rows) == 1
    assert rows[0].revision.content["title"] == "Draft 4"
    history = client.get(reverse("wagtailadmin_pages:history", args=(post.pk,)))
    assert history.status_code == 200


@pytest.mark.django_db
def test_another_action_or_another_editor_keeps_its_own_row(
    client, editor, index, django_user_model
):
    post = factories.make_post(index)
    other = django_user_model.objects.create_superuser("other", "o@example.com", "a-long-password")
    client.force_login(editor)
    save_draft(client, post, "Mine")
    save_draft(client, post, "Mine again")
    publish = factories.post_form_data(
        post.topic, slug=post.slug, title="Published", **{"action-publish": "publish"}
    )
    client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), publish)
    save_draft(client, post, "After publishing")
    colleague = client.__class__()
    colleague.force_login(other)
    save_draft(colleague, post, "Theirs")

    rows = [(row.user.username, row.revision.content["title"]) for row in draft_rows(post)]

    # Publishing saves a revision too: the drafts before it fold into that row; the publish has
    # its own row, which ends the run.
    assert rows == [
        ("editor", "Published"),
        ("editor", "After publishing"),
        ("other", "Theirs"),
    ]


@pytest.mark.django_db
def test_draft_saves_far_apart_stay_separate(editor, index):
    post = factories.make_post(index)
    post.save_revision(user=editor, log_action=True)
    first = PageLogEntry.objects.filter(page_id=post.pk, action="wagtail.edit").latest("pk")
    first.timestamp -= datetime.timedelta(hours=2)
    first.save()

    post.save_revision(user=editor, log_action=True)

    assert len(draft_rows(post)) == 2

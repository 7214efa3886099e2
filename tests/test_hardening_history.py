"""No lost work: every save is a revision, unpublishing keeps the page, deleting asks first and
is written to Wagtail's audit log."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from editorial.roles import EDITORS, ensure_roles
from tests import factories


def edit(client, post, **fields):
    data = factories.post_form_data(post.topic, slug=post.slug, **fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)


@pytest.mark.django_db
def test_every_save_in_the_admin_is_a_revision(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    before = post.revisions.count()

    edit(client, post, title="First draft")
    edit(client, post, title="Second draft")
    edit(client, post, title="Published", **{"action-publish": "publish"})

    titles = [r.content["title"] for r in post.revisions.order_by("created_at", "pk")]
    assert post.revisions.count() == before + 3
    assert titles[-3:] == ["First draft", "Second draft", "Published"]
    history = reverse("wagtailadmin_pages:history", args=(post.pk,))
    assert client.get(history).status_code == 200


@pytest.mark.django_db
def test_unpublishing_keeps_the_page_and_its_revisions(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Keep me")
    revisions = post.revisions.count()

    client.post(reverse("wagtailadmin_pages:unpublish", args=(post.pk,)))

    post.refresh_from_db()
    assert not post.live and post.title == "Keep me"
    assert post.revisions.count() == revisions
    assert PageLogEntry.objects.filter(page=post, action="wagtail.unpublish").exists()
    # And it can come back from its latest revision.
    post.get_latest_revision().publish()
    assert client.__class__().get(post.url).status_code == 200


@pytest.mark.django_db
def test_deleting_a_page_asks_for_confirmation_first(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Still here")
    url = reverse("wagtailadmin_pages:delete", args=(post.pk,))

    response = client.get(url)

    assert response.status_code == 200
    assert "Are you sure you want to delete this page" in response.content.decode()
    assert Page.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_a_deleted_page_is_in_the_audit_log(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index, title="Going away")
    url = reverse("wagtailadmin_pages:delete", args=(post.pk,))

    assert client.post(url).status_code == 302

    assert not Page.objects.filter(pk=post.pk).exists()
    entry = PageLogEntry.objects.get(page_id=post.pk, action="wagtail.delete")
    assert entry.label == "Going away" and entry.user == editor
    log = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Going away" in log


@pytest.mark.django_db
def test_an_editor_cannot_delete_a_live_page(client, index, django_user_model):
    groups = ensure_roles()
    user = django_user_model.objects.create_user("eddie", "e@example.com", "a-long-password")
    user.groups.add(groups[EDITORS])
    client.force_login(user)
    post = factories.make_post(index)

    client.post(reverse("wagtailadmin_pages:delete", args=(post.pk,)))

    assert Page.objects.filter(pk=post.pk).exists()

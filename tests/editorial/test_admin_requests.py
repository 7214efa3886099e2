"""Malformed or racing admin edit POSTs (editorial/admin_requests.py): a friendly answer, not a 500,
and nothing the editor wrote is lost."""

from unittest import mock

import pytest
from django.urls import reverse
from wagtail.admin.forms.pages import WagtailAdminPageForm

from blog.models import TopicPostPage
from tests import factories


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="databases")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("blog", "topicpostpage", index.pk))


@pytest.mark.django_db
def test_edit_post_missing_a_streamfield_count_is_a_400(client, editor, index, topic):
    post = factories.make_post(index, title="A post")
    data = factories.post_form_data(topic, slug=post.slug)
    del data["body-count"]
    client.force_login(editor)

    response = client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)

    assert response.status_code == 400


@pytest.mark.django_db
def test_create_post_missing_a_streamfield_count_is_a_400(client, editor, index, topic):
    data = factories.post_form_data(topic)
    del data["body-count"]
    client.force_login(editor)

    response = client.post(add_url(index), data)

    assert response.status_code == 400
    assert not TopicPostPage.objects.filter(slug="a-post-from-the-admin").exists()


@pytest.mark.django_db
def test_edit_post_with_a_non_numeric_streamfield_count_is_a_400(client, editor, index, topic):
    post = factories.make_post(index, title="A post")
    data = {**factories.post_form_data(topic, slug=post.slug), "body-count": "many"}
    client.force_login(editor)

    response = client.post(reverse("wagtailadmin_pages:edit", args=(post.pk,)), data)

    assert response.status_code == 400


def publish_racing_the_autosave(client, index, topic, **fields):
    """The editor's Publish POST, validated before the autosave's page was added (the race):
    the autosave lands between the form's validation and the page being added."""
    clean = WagtailAdminPageForm.clean
    landed = []

    def clean_then_autosave_lands(form):
        cleaned = clean(form)
        if landed:
            return cleaned
        landed.append(True)
        with mock.patch.object(WagtailAdminPageForm, "clean", clean):
            autosave = client.post(
                add_url(index),
                factories.post_form_data(topic, summary="Autosaved summary."),
                HTTP_ACCEPT="application/json",
            )
        assert autosave.status_code == 200, autosave.content
        return cleaned

    with mock.patch.object(WagtailAdminPageForm, "clean", clean_then_autosave_lands):
        return client.post(
            add_url(index),
            factories.post_form_data(topic, **{"action-publish": "publish", **fields}),
        )


@pytest.mark.django_db
def test_publish_racing_a_new_pages_autosave_publishes_the_posted_content(
    client, editor, index, topic
):
    client.force_login(editor)

    response = publish_racing_the_autosave(client, index, topic, summary="Final summary.")

    assert response.status_code == 302
    pages = TopicPostPage.objects.filter(slug="a-post-from-the-admin")
    assert pages.count() == 1
    assert pages.get().live
    assert pages.get().summary == "Final summary."
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 200


@pytest.mark.django_db
def test_a_slug_clash_with_someone_elses_page_is_not_taken_over(
    client, editor, index, topic, django_user_model
):
    other = django_user_model.objects.create_superuser("other", "o@example.com", "x" * 16)
    client.force_login(other)
    client.post(add_url(index), factories.post_form_data(topic), HTTP_ACCEPT="application/json")
    client.force_login(editor)

    response = client.post(
        add_url(index), factories.post_form_data(topic, **{"action-publish": "publish"})
    )

    assert response.status_code == 200
    assert "already in use" in response.content.decode()
    assert not TopicPostPage.objects.get(slug="a-post-from-the-admin").live

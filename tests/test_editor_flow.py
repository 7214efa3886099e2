"""An editor's path through the Wagtail admin, checked from the reader's side too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from blog.models import TopicPostPage
from tests import factories


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="database")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("blog", "topicpostpage", index.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_draft_publish_edit_unpublish(client, index, topic, editor):
    client.force_login(editor)
    anonymous = client.__class__()

    # Save a draft: stored, not public.
    response = client.post(add_url(index), factories.post_form_data(topic))
    assert response.status_code == 302
    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert not post.live
    assert anonymous.get("/posts/a-post-from-the-admin/").status_code == 404

    # Preview shows the draft's content to the editor.
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(post.pk,))
    assert client.post(preview, factories.post_form_data(topic)).json()["is_valid"]
    html = client.get(preview).content.decode()
    assert "A post from the admin" in html and "<em>words</em>" in html

    # Publish: public, with the highlighted code.
    data = factories.post_form_data(topic, **{"action-publish": "publish"})
    assert client.post(edit_url(post), data).status_code == 302
    response = anonymous.get("/posts/a-post-from-the-admin/")
    assert response.status_code == 200
    assert 'class="highlight"' in response.content.decode()

    # Edit again: the new title is live and the earlier revision is kept.
    data = factories.post_form_data(topic, title="Renamed", **{"action-publish": "publish"})
    client.post(edit_url(post), data)
    post.refresh_from_db()
    assert "Renamed" in anonymous.get("/posts/a-post-from-the-admin/").content.decode()
    titles = [r.as_object().title for r in post.revisions.order_by("created_at")]
    assert titles[0] == "A post from the admin" and titles[-1] == "Renamed"
    first, last = post.revisions.order_by("created_at")[0], post.latest_revision
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(post.pk, first.pk, last.pk))
    assert client.get(compare).status_code == 200

    # Unpublish: gone for readers, nothing lost for editors.
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(post.pk,))
    assert client.post(unpublish).status_code == 302
    assert anonymous.get("/posts/a-post-from-the-admin/").status_code == 404
    post.refresh_from_db()
    assert not post.live and post.title == "Renamed"
    assert post.revisions.count() == len(titles)


@pytest.mark.django_db
def test_scheduled_publish_waits_for_go_live(client, index, topic, editor):
    client.force_login(editor)
    go_live = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = factories.post_form_data(topic, go_live_at=go_live, **{"action-publish": "publish"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert not post.live
    assert post.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 404


@pytest.mark.django_db
def test_submit_for_moderation_starts_the_default_workflow(client, index, topic, editor):
    client.force_login(editor)
    data = factories.post_form_data(topic, **{"action-submit": "submit"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(post.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not post.live


@pytest.mark.django_db
def test_admin_edits_the_compilation_and_snippets(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    data = factories.compilation_form_data(post, **{"action-publish": "publish"})

    assert client.post(edit_url(compilation), data).status_code == 302

    html = client.__class__().get("/django-at-scale-in-production/").content.decode()
    assert 'id="caching"' in html and post.title in html
    assert client.get(reverse("wagtailsnippets_blog_topic:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_blog_author:add")).status_code == 200


@pytest.mark.django_db
def test_duplicate_section_anchors_are_refused_with_a_message(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    data = factories.compilation_form_data(post)
    for key in [k for k in data if k.startswith("body-0-")]:
        data[key.replace("body-0-", "body-1-")] = data[key]
    data["body-1-order"] = "1"
    data["body-count"] = "2"

    response = client.post(edit_url(compilation), data)

    assert response.status_code == 200
    assert "already uses the anchor" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Old"

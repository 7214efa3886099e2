"""Moderation in the page editor (editorial/moderation.py): Approve is a reviewer's primary
action on a submission, and the message after approving says what happened to the page."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from blog.models import TopicPostPage
from editorial.roles import EDITORS, MODERATORS, ensure_roles
from tests import factories
from tests.editorial.test_roles import add_url, edit_url, member

APPROVE_BUTTON = 'data-workflow-action-name="approve"'


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="database")


@pytest.fixture
def submitted(client, index, topic, django_user_model):
    """A post an editor wrote and submitted for moderation, and a moderator to review it."""
    ensure_roles()
    author = client.__class__()
    author.force_login(member(django_user_model, EDITORS, "eddie"))
    author.post(add_url(index), factories.post_form_data(topic, **{"action-submit": "submit"}))
    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    return post, member(django_user_model, MODERATORS, "mo")


def primary_action(html):
    """The footer's first button: the one an editor clicks without opening the menu."""
    footer = html[html.index("<footer") :]
    start = footer.index("<button")
    return footer[start : footer.index("</button>", start)]


def messages_shown(client, response):
    """The messages the page the editor is sent to shows."""
    assert response.status_code == 302
    return [m.message.strip() for m in get_messages(client.get(response.url).wsgi_request)]


@pytest.mark.django_db
def test_a_moderator_reviewing_a_submission_sees_approve_first(client, submitted):
    post, moderator = submitted
    client.force_login(moderator)

    button = primary_action(client.get(edit_url(post)).content.decode())

    assert APPROVE_BUTTON in button and "Approve and Publish" in button


@pytest.mark.django_db
def test_the_author_of_a_submission_is_not_offered_approve(client, submitted):
    post, _moderator = submitted
    client.force_login(post.owner)

    button = primary_action(client.get(edit_url(post)).content.decode())

    assert APPROVE_BUTTON not in button and "Approve" not in button


def approve(client, post, **fields):
    data = factories.post_form_data(
        post.topic,
        slug=post.slug,
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        **fields,
    )
    return client.post(edit_url(post), data)


@pytest.mark.django_db
def test_approving_says_approved_and_published(client, submitted):
    post, moderator = submitted
    client.force_login(moderator)

    texts = messages_shown(client, approve(client, post))

    assert texts == ["“A post from the admin” approved and published."]
    post.refresh_from_db()
    assert post.live
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 200


@pytest.mark.django_db
def test_approving_a_scheduled_post_says_when_it_goes_live(client, submitted):
    post, moderator = submitted
    client.force_login(moderator)
    go_live = timezone.localtime() + datetime.timedelta(days=3)

    response = approve(client, post, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))

    texts = messages_shown(client, response)
    assert len(texts) == 1
    assert texts[0].startswith("“A post from the admin” approved and scheduled: it goes live on")
    post.refresh_from_db()
    assert not post.live


@pytest.mark.django_db
def test_saving_a_draft_keeps_wagtails_message(client, submitted):
    post, moderator = submitted
    client.force_login(moderator)

    response = client.post(edit_url(post), factories.post_form_data(post.topic, slug=post.slug))

    assert response.url == reverse("wagtailadmin_pages:edit", args=(post.pk,))
    assert [t for t in messages_shown(client, response) if "has been updated" in t]

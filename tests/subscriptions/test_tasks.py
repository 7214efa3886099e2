"""The background tasks (subscriptions/tasks.py): the confirmation mail, received by a real SMTP
server and confirmed from its link, and the newsletter run started when a post is published."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Frequency, Subscriber
from subscriptions.tasks import send_confirmation
from tests import factories

from .conftest import links, parts, path_of, subscribe

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_the_confirmation_mail_arrives_and_its_link_confirms(client, home, smtp):
    client.post(
        "/subscribe/", {"email": "Ada@Example.com", "frequency": "post"}, REMOTE_ADDR="192.0.2.1"
    )

    (message,) = smtp.to("ada@example.com")
    assert message["Subject"] == "Confirm your subscription to Django at Scale"
    assert "List-Unsubscribe" not in message  # nothing to leave yet
    text, html = parts(message)
    (url,) = [link for link in links(text) if "/subscribe/confirm/" in link]
    assert f'href="{url}"' in html
    assert "ada@example.com" not in url
    assert client.get(path_of(url)).status_code == 200
    assert client.post(path_of(url)).status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.frequency) == ("ada@example.com", Frequency.EACH_POST)
    assert subscriber.confirmed_at is not None


@pytest.mark.django_db
def test_a_confirmation_for_an_unknown_choice_is_not_sent(home, smtp):
    send_confirmation.call(email="ada@example.com", frequency="hourly")

    assert smtp.messages == []
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_publishing_a_post_mails_it_once_the_publish_is_committed(
    index, smtp, django_capture_on_commit_callbacks
):
    subscribe("ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        post = factories.make_post(index, title="Read replicas")

    (message,) = smtp.to("ada@example.com")
    assert message["Subject"] == "New post: Read replicas"
    assert post.get_full_url() in parts(message)[0]


@pytest.mark.django_db
def test_publishing_a_page_that_is_not_a_post_sends_nothing(
    home, smtp, django_capture_on_commit_callbacks
):
    subscribe("ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        factories.make_compilation(home, [factories.section("Caching", [])])

    assert smtp.messages == []


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_the_post_not_the_publish(smtp):
    index = factories.make_index(factories.make_home())
    subscribe("ada@example.com")

    with override_settings(TASKS=DATABASE_QUEUE):
        factories.make_post(index)
        mails_at_publish = len(smtp.messages)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert mails_at_publish == 0
    assert DBTaskResult.objects.filter(task_path__endswith="send_new_posts").count() == 1
    assert smtp.per_address() == {"ada@example.com": 1}

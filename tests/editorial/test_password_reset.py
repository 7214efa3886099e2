"""The admin's password reset (editorial/password_reset.py): the mail goes out from a background
task whatever the address, requests are throttled per address and per account, and the mail
really leaves through SMTP."""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.smtp_server import SENDER

URL = "/admin/password_reset/"


@pytest.fixture
def ada(db, django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", "a-long-test-password")


def ask(client, email, address="203.0.113.5"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_known_and_unknown_addresses_enqueue_the_same_work(client, ada):
    with mock.patch("editorial.password_reset.send_password_reset") as task:
        known = ask(client, "ada@example.com")
        unknown = ask(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("wagtailadmin_password_reset_done")
    first, second = task.enqueue.call_args_list
    assert first.kwargs == {**second.kwargs, "email": "ada@example.com"}
    assert second.kwargs["email"] == "nobody@example.com"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_task_mails_a_link_built_from_the_admin_base_url(client, ada):
    ask(client, "ada@example.com")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    assert "http://testserver/admin/password_reset/confirm/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_the_mail_not_the_request(client, ada):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        known = ask(client, "ada@example.com")
        unknown = ask(client, "nobody@example.com")
        mails_in_requests = len(mail.outbox)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert known.status_code == unknown.status_code == 302
    assert mails_in_requests == 0
    assert DBTaskResult.objects.count() == 2  # the same work queued for both addresses
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


@pytest.mark.django_db
def test_an_unknown_address_gets_no_mail(client, ada):
    ask(client, "nobody@example.com")

    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_LIMIT_PER_ACCOUNT=3)
def test_resets_for_one_account_are_throttled_from_any_address(client, ada):
    for n in range(3):
        assert ask(client, "ada@example.com", address=f"192.0.2.{n + 1}").status_code == 302

    response = ask(client, "Ada@Example.com", address="192.0.2.99")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Password reset paused" in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_LIMIT_PER_IP=4)
def test_resets_from_one_address_are_throttled_across_accounts(client, ada):
    for n in range(4):
        ask(client, f"someone-{n}@example.com")

    assert ask(client, "ada@example.com").status_code == 429
    assert ask(client, "ada@example.com", address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_the_reset_mail_leaves_through_a_real_smtp_server(client, ada, smtp):
    assert ask(client, "ada@example.com").status_code == 302

    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["ada@example.com"]
    assert envelope.mail_from == SENDER
    assert b"/admin/password_reset/confirm/" in envelope.content

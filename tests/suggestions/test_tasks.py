"""The reader hears back (suggestions/tasks.py): a mail with plain-text and HTML parts when an
editor accepts or rejects their suggestion, sent by the task worker, through a real SMTP server
in one test."""

import email

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from suggestions import decisions
from suggestions.tasks import tell_suggester
from tests.smtp_server import SENDER
from tests.suggestions.test_decisions import make_suggestion

ADDRESS = "reader@example.com"


@pytest.mark.django_db
def test_an_accepted_suggestion_is_announced_in_text_and_html(compilation, editor):
    suggestion = make_suggestion(compilation, email=ADDRESS)

    decisions.accept(suggestion, editor)

    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Your suggestion was added to “Django at Scale in Production”"
    assert "added it to the section “Caching”" in message.body
    assert "http://localhost/django-at-scale-in-production/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert '<a href="https://www.example.org/articles/cache-stampedes">' in html


@pytest.mark.django_db
def test_a_rejection_carries_the_reason_escaped_in_html(compilation, editor):
    suggestion = make_suggestion(compilation, email=ADDRESS)

    decisions.reject(suggestion, editor, "Covered <already> by the docs & more.")

    (message,) = mail.outbox
    assert message.subject == "Your suggestion was not added to “Django at Scale in Production”"
    assert "Covered <already> by the docs & more." in message.body
    assert "Covered &lt;already&gt; by the docs &amp; more." in message.alternatives[0][0]


@pytest.mark.django_db
def test_without_an_address_nobody_is_mailed(compilation, editor):
    decisions.accept(make_suggestion(compilation), editor)
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_undecided_suggestion_is_not_announced(compilation):
    suggestion = make_suggestion(compilation, email=ADDRESS)
    assert tell_suggester.call(suggestion.pk) is False
    assert tell_suggester.call(suggestion.pk + 1000) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_mail_through_smtp_not_the_request(
    client,
    editor,
    compilation,
    smtp,
):
    suggestion = make_suggestion(compilation, email=ADDRESS)
    client.force_login(editor)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.post(f"/admin/suggestions/{suggestion.pk}/accept/")
        received_during_request = len(smtp.messages)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert response.status_code == 302
    assert received_during_request == 0
    assert DBTaskResult.objects.filter(task_path=tell_suggester.module_path).count() == 1
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == [ADDRESS]
    assert envelope.mail_from == SENDER
    message = email.message_from_bytes(envelope.content)
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert "added it to the section" in parts["text/plain"].get_payload(decode=True).decode()

"""`manage.py send_newsletter`: what a scheduler runs."""

import io

import pytest
from django.core.management import CommandError, call_command

from subscriptions.models import Frequency
from tests import factories

from .conftest import subscribe


@pytest.mark.django_db
def test_the_command_sends_what_is_due_and_says_so(index, smtp):
    subscribe("ada@example.com")
    subscribe("grace@example.com", Frequency.WEEKLY)
    factories.make_post(index)
    out = io.StringIO()

    call_command("send_newsletter", stdout=out)

    assert "Sent 1 post mail(s) and 0 digest(s)" in out.getvalue()
    assert smtp.per_address() == {"ada@example.com": 1}


@pytest.mark.django_db
def test_a_refused_mail_fails_the_command_with_how_to_resume(index, smtp):
    for n in range(3):
        subscribe(f"reader{n}@example.com")
    factories.make_post(index)
    smtp.accept = 1

    with pytest.raises(CommandError, match="Stopped after 1 mail"):
        call_command("send_newsletter", stdout=io.StringIO())
    smtp.accept = None
    call_command("send_newsletter", stdout=io.StringIO())

    assert sorted(smtp.per_address().values()) == [1, 1, 1]

import io
import logging

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from tests import factories
from tests.smtp_server import SENDER, Inbox, free_port


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a request under /fr/ leaves French active in the
    thread (LocaleMiddleware activates the URL's language), where a test that then searches or
    renders outside a request would read it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home(db):
    return factories.make_home()


@pytest.fixture
def index(home):
    return factories.make_index(home)


@pytest.fixture
def seeded(db):
    """The whole seed site, built by the management command."""
    call_command("load_compilation", stdout=io.StringIO())


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "a-long-test-password"
    )


@pytest.fixture
def read_only_database(db):
    """From here on the database refuses writes, as a replica or PostgreSQL's
    default_transaction_read_only does; PostgreSQL only. Undone (a savepoint rolled back) before
    the test's own teardown, which writes."""
    if connection.vendor != "postgresql":
        pytest.skip("read-only transactions as PostgreSQL has them")
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL transaction_read_only = on")
    yield
    transaction.savepoint_rollback(savepoint)


@pytest.fixture
def smtp():
    """The inbox of a real local SMTP server, with the site's mail going to it through Django's
    SMTP backend, from tests.smtp_server.SENDER."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mail_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": controller.port,
        "DEFAULT_FROM_EMAIL": SENDER,
    }
    try:
        with override_settings(**mail_settings):
            yield inbox
    finally:
        controller.stop()

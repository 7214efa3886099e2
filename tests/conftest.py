import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


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

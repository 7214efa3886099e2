import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

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

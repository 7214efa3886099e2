"""What the suggestion tests share: a published compilation of two sections, a reader's valid
form, and editors with and without the right to decide."""

import pytest
from django.contrib.auth.models import Group

from editorial.roles import EDITORS, ensure_roles
from tests import factories

URL = "/django-at-scale-in-production/suggest/"
LISTED = "https://docs.djangoproject.com/en/5.2/topics/cache/"


@pytest.fixture
def compilation(index):
    post = factories.make_post(index, title="Tuning PostgreSQL")
    sections = [
        factories.section("Databases", [factories.post_entry(post)]),
        factories.section(
            "Caching", [factories.link_entry(1, url=LISTED, title="Cache docs")], anchor="caching"
        ),
    ]
    return factories.make_compilation(index.get_parent(), sections)


def form_data(**overrides):
    data = {
        "url": "https://www.example.org/articles/cache-stampedes",
        "title": "Cache stampedes, explained",
        "section": "caching",
        "annotation": "Why many workers refill one key at once, and three ways to stop it.",
        "email": "",
        "credit_name": "",
        "website": "",
    }
    return {**data, **overrides}


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def role_editor(roles, django_user_model):
    """A member of the Editors group: may edit every page, publishes nothing."""
    user = django_user_model.objects.create_user("edna", "edna@example.com", "a-long-password-1")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def reader(db, django_user_model):
    """An account with admin access and nothing else."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("rita", "rita@example.com", "a-long-password-2")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user

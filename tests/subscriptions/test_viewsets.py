"""Subscribers in the admin (subscriptions/viewsets.py): administrators list, export and delete
them; editors and moderators never see them; nobody adds or edits one there."""

import pytest
from django.contrib.auth.models import Group

from editorial.roles import ADMINISTRATORS, EDITORS, MODERATORS, ensure_roles
from subscriptions.models import Subscriber

from .conftest import subscribe

INDEX = "/admin/subscribers/"


@pytest.fixture
def readers(home):
    subscribe("ada@example.com")
    subscribe("grace@example.com")


def member_of(django_user_model, group_name):
    ensure_roles()
    user = django_user_model.objects.create_user(
        group_name.lower(), f"{group_name.lower()}@example.org", "a-long-test-password"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.django_db
def test_an_administrator_lists_the_subscribers(client, django_user_model, readers):
    client.force_login(member_of(django_user_model, ADMINISTRATORS))

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "ada@example.com" in html and "grace@example.com" in html


@pytest.mark.django_db
def test_an_administrator_exports_them_as_csv(client, django_user_model, readers):
    client.force_login(member_of(django_user_model, ADMINISTRATORS))

    response = client.get(INDEX, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers')
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Email,Frequency")
    assert "ada@example.com" in body and "grace@example.com" in body


@pytest.mark.django_db
def test_an_administrator_deletes_one(client, django_user_model, readers):
    client.force_login(member_of(django_user_model, ADMINISTRATORS))
    ada = Subscriber.objects.get(email="ada@example.com")

    response = client.post(f"{INDEX}delete/{ada.pk}/")

    assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["grace@example.com"]


@pytest.mark.django_db
@pytest.mark.parametrize("group_name", [EDITORS, MODERATORS])
def test_editors_and_moderators_cannot_see_or_export_subscribers(
    client, django_user_model, readers, group_name
):
    client.force_login(member_of(django_user_model, group_name))
    ada = Subscriber.objects.get(email="ada@example.com")

    answers = [
        client.get(INDEX),
        client.get(INDEX, {"export": "csv"}),
        client.get(f"{INDEX}inspect/{ada.pk}/"),
        client.post(f"{INDEX}delete/{ada.pk}/"),
    ]

    assert [answer.status_code for answer in answers] == [302] * 4
    assert Subscriber.objects.count() == 2
    assert "ada@example.com" not in client.get("/admin/").content.decode()
    assert INDEX not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_nobody_adds_or_edits_a_subscriber_in_the_admin(client, editor, readers):
    client.force_login(editor)  # a superuser
    ada = Subscriber.objects.get(email="ada@example.com")

    adding = client.post(f"{INDEX}new/", {"email": "x@example.com", "frequency": "post"})
    editing = client.post(f"{INDEX}edit/{ada.pk}/", {"frequency": "weekly"})

    assert adding.status_code in (302, 403) and editing.status_code in (302, 403)
    assert not Subscriber.objects.filter(email="x@example.com").exists()
    assert Subscriber.objects.get(pk=ada.pk).frequency == "post"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, readers):
    assert client.get(INDEX, {"export": "csv"})["Location"].startswith("/admin/login/")

"""Password-protected pages and documents (editorial/page_passwords.py): wrong passwords are
throttled per address and per page, with a 429 page; the right one waits for the cool-off."""

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests import factories

RIGHT = "the-right-password"


@pytest.fixture
def protected(index):
    post = factories.make_post(index, title="Members post")
    restriction = PageViewRestriction.objects.create(
        page=post, restriction_type="password", password=RIGHT
    )
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, post.pk))
    return post, url


def guess(client, url, password, address="203.0.113.5"):
    return client.post(url, {"password": password, "return_url": "/posts/"}, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(PROTECTED_PASSWORD_LIMIT_PER_IP=5)
def test_right_password_is_refused_after_too_many_wrong_ones(client, protected):
    _post, url = protected
    for n in range(5):
        assert guess(client, url, f"wrong-{n}").status_code == 200

    response = guess(client, url, RIGHT)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()


@pytest.mark.django_db
@override_settings(PROTECTED_PASSWORD_LIMIT_PER_IP=5)
def test_a_few_wrong_passwords_still_let_the_right_one_in(client, protected):
    _post, url = protected
    for n in range(4):
        guess(client, url, f"wrong-{n}")

    assert guess(client, url, RIGHT).status_code == 302


@pytest.mark.django_db
@override_settings(PROTECTED_PASSWORD_LIMIT_PER_IP=5)
def test_one_address_locked_out_does_not_lock_another(client, protected):
    _post, url = protected
    for n in range(5):
        guess(client, url, f"wrong-{n}")

    assert guess(client, url, RIGHT, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
@override_settings(PROTECTED_PASSWORD_LIMIT_PER_IP=100, PROTECTED_PASSWORD_LIMIT_PER_RESTRICTION=6)
def test_guesses_spread_over_many_addresses_are_throttled_per_page(client, protected):
    _post, url = protected
    for n in range(6):
        guess(client, url, f"wrong-{n}", address=f"192.0.2.{n + 1}")

    assert guess(client, url, RIGHT, address="192.0.2.200").status_code == 429


@pytest.mark.django_db
@override_settings(PROTECTED_PASSWORD_LIMIT_PER_IP=3)
def test_document_passwords_are_throttled_too(client, db):
    collection = Collection.get_first_root_node().add_child(name="Members")
    Document.objects.create(
        title="Slides", file=ContentFile(b"slides", name="slides.pdf"), collection=collection
    )
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password=RIGHT
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=(restriction.pk,))
    for n in range(3):
        guess(client, url, f"wrong-{n}")

    assert guess(client, url, RIGHT).status_code == 429

"""/subscribe/: the form, the confirmation link and the unsubscribe link (subscriptions/views)."""

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from django.urls import reverse

from subscriptions import tokens
from subscriptions.models import Frequency, Subscriber

from .conftest import links, path_of, subscribe

URL = "/subscribe/"


def send_form(client, address="reader@example.com", frequency="post", **extra):
    data = {"email": address, "frequency": frequency, "website": "", **extra}
    # As a browser sends it: following the redirect to "check your inbox".
    return client.post(URL, data, REMOTE_ADDR=extra.pop("ip", "203.0.113.9"), follow=True)


def confirmation_path(outbox_message):
    (url,) = [link for link in links(outbox_message.body) if "/confirm/" in link]
    return path_of(url)


@pytest.mark.django_db
def test_the_form_is_linked_from_every_page(client, home):
    assert f'href="{URL}"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_form_page_shows_the_choices_and_a_hidden_honeypot(client, home):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Each new post" in html and "A weekly digest" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=300)
def test_the_form_page_is_never_cached(home):
    first = Client().get(URL)
    second = Client().get(URL)

    assert "no-store" in first["Cache-Control"]
    assert "X-Page-Cache" not in second or second["X-Page-Cache"] != "hit"
    field = 'name="csrfmiddlewaretoken" value="'
    first_csrf = first.content.decode().split(field)[1].split('"')[0]
    second_csrf = second.content.decode().split(field)[1].split('"')[0]
    assert first_csrf != second_csrf


@pytest.mark.django_db
def test_sending_the_form_mails_a_confirmation_and_activates_nothing(client, home):
    response = send_form(client)

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["reader@example.com"]]
    assert not Subscriber.objects.confirmed().exists()


@pytest.mark.django_db
def test_a_form_taken_redirects_to_check_your_inbox_which_a_reload_does_not_send_again(
    client, home
):
    response = client.post(URL, {"email": "reader@example.com", "frequency": "post"})

    assert response.status_code == 303
    assert response["Location"] == URL + "?sent=1"
    for _ in range(2):  # the page, then a reload of it
        assert "Check your inbox" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_answer_is_the_same_for_a_subscribed_address(client, home):
    subscribe("known@example.com")

    known = send_form(client, "known@example.com")
    unknown = send_form(client, "unknown@example.com")

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert "known@example.com" not in known.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.com", "unknown@example.com"]


@pytest.mark.django_db
def test_an_invalid_address_is_shown_the_form_again(client, home):
    response = send_form(client, "not an address")

    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_filled_honeypot_gets_the_usual_answer_and_no_mail(client, home):
    response = send_form(client, website="https://spam.example")

    assert "Check your inbox" in response.content.decode()
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_a_post_without_its_csrf_token(home):
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"email": "reader@example.com", "frequency": "post"})

    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(SUBSCRIBE_REQUESTS_PER_MINUTE=2)
def test_too_many_forms_from_one_address_get_a_friendly_429(client, home):
    for n in range(2):
        assert send_form(client, f"reader{n}@example.com").status_code == 200

    response = send_form(client, "reader9@example.com")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Try again in" in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@override_settings(SUBSCRIBE_CONFIRMATIONS_PER_ADDRESS=2)
def test_one_inbox_gets_a_few_confirmations_a_day_whatever_is_sent(client, home):
    answers = {send_form(client, "Target@Example.com").content for _ in range(4)}

    assert len(answers) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_confirmation_link_confirms_after_the_button(client, home):
    send_form(client, frequency="weekly")
    path = confirmation_path(mail.outbox[0])

    shown = client.get(path)
    still_pending = Subscriber.objects.get().confirmed_at
    confirmed = client.post(path)

    assert shown.status_code == 200 and "Confirm my subscription" in shown.content.decode()
    assert still_pending is None
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None and subscriber.since is not None
    assert subscriber.frequency == Frequency.WEEKLY
    assert "reader@example.com" not in shown.content.decode() + confirmed.content.decode()
    assert shown["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_confirming_again_with_another_choice_changes_the_frequency(client, home):
    subscriber = subscribe("reader@example.com", Frequency.WEEKLY)

    client.post(
        reverse(
            "subscriptions:confirm",
            args=[tokens.confirmation_token(subscriber.key, Frequency.EACH_POST)],
        )
    )

    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.EACH_POST


@pytest.mark.django_db
@override_settings(SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS=60)
def test_an_expired_confirmation_link_gets_a_friendly_400(client, home, monkeypatch):
    send_form(client)
    path = confirmation_path(mail.outbox[0])
    later = signing.time.time() + 61
    monkeypatch.setattr(signing.time, "time", lambda: later)

    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    assert Subscriber.objects.get().confirmed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "%00"])
def test_a_tampered_link_gets_a_friendly_400(client, home, mangle):
    subscriber = subscribe("reader@example.com")
    confirm = tokens.confirmation_token(subscriber.key, "post")
    unsubscribe = tokens.unsubscribe_token(subscriber.key)

    for name, token in (("confirm", confirm), ("unsubscribe", unsubscribe)):
        response = client.post(f"/subscribe/{name}/{mangle(token)}/")
        assert response.status_code == 400
    assert Subscriber.objects.filter(confirmed_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_confirmation_token_does_not_unsubscribe_and_back(client, home):
    subscriber = subscribe("reader@example.com")
    confirm = tokens.confirmation_token(subscriber.key, "post")

    response = client.post(reverse("subscriptions:unsubscribe", args=[confirm]))

    assert response.status_code == 400
    assert Subscriber.objects.exists()


@pytest.mark.django_db
def test_unsubscribe_link_shows_a_button_then_removes_the_address(client, home):
    subscriber = subscribe("reader@example.com")
    path = reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscriber.key)])

    shown = client.get(path)
    kept = Subscriber.objects.exists()
    done = client.post(path)

    assert shown.status_code == 200 and 'method="post"' in shown.content.decode()
    assert kept
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_one_click_unsubscribe_needs_no_csrf_token_and_can_be_repeated(home):
    subscriber = subscribe("reader@example.com")
    path = reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscriber.key)])
    client = Client(enforce_csrf_checks=True)

    answers = [
        client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=300)
def test_link_pages_are_never_cached(home):
    subscriber = subscribe("reader@example.com")
    paths = [
        reverse("subscriptions:confirm", args=[tokens.confirmation_token(subscriber.key, "post")]),
        reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscriber.key)]),
    ]
    for path in paths:
        Client().get(path)
        response = Client().get(path)
        assert "no-store" in response["Cache-Control"]
        assert response.get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_other_methods_are_refused(client, home):
    assert client.put(URL).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"email": "reader@example.com", "frequency": "hourly"},
        {"email": "reader\x00@example.com", "frequency": "post"},
        {"email": "a" * 300 + "@example.com", "frequency": "post"},
        {"email": "<script>@example.com", "frequency": "post"},
        {},
    ],
)
def test_bad_form_input_is_shown_the_form_again_never_a_500(client, home, data):
    response = client.post(URL, data)

    assert response.status_code == 200
    assert "<script>@" not in response.content.decode()
    assert "Subscribe by e-mail" in response.content.decode()
    assert mail.outbox == []

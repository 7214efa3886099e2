"""Admin sign-in: throttled per account and per address (editorial/signin.py), safe cookies and
redirects, strong passwords, and a password reset that trusts neither the Host header nor tells
who has an account."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_superuser("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def grace(django_user_model):
    return django_user_model.objects.create_superuser("grace", "grace@example.com", PASSWORD)


def sign_in(client, username, password, address="10.0.0.1", **data):
    return client.post(
        LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def without_csrf_token(html):
    """The page without its per-request CSRF token, the one part that always differs."""
    return re.sub(r'"CSRF_TOKEN": "[^"]+"', "", html)


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_an_account_is_locked_after_20_bad_passwords_with_a_clear_message(client, ada):
    for _ in range(19):
        assert sign_in(client, "ada", "wrong password!").status_code == 200

    response = sign_in(client, "ada", "wrong password!")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in paused" in html and "15 minutes" in html
    assert "Other accounts are not affected" in html
    # The right password no longer helps while the lock lasts.
    response = sign_in(client, "ada", PASSWORD)
    assert response.status_code == 429 and not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_19_bad_passwords_do_not_lock_the_account(client, ada):
    for _ in range(19):
        sign_in(client, "ada", "wrong password!")

    assert signed_in(sign_in(client, "ada", PASSWORD))


@pytest.mark.django_db
def test_a_locked_account_does_not_lock_out_other_users(client, ada, grace):
    for _ in range(20):
        sign_in(client, "ada", "wrong password!")

    # Same address, another account: fine (20 failures is below the address limit).
    assert signed_in(sign_in(client.__class__(), "grace", PASSWORD))
    # Ada from elsewhere is still locked: the lock is on the account.
    assert sign_in(client.__class__(), "ada", PASSWORD, address="10.9.9.9").status_code == 429


@pytest.mark.django_db
def test_an_address_is_locked_after_50_failures_across_accounts(client, grace):
    for number in range(49):
        assert (
            sign_in(client, f"user{number % 5}", "wrong password!", "10.0.0.2").status_code == 200
        )

    assert sign_in(client, "user9", "wrong password!", "10.0.0.2").status_code == 429

    # Every account from that address waits; the same account from another address signs in.
    assert sign_in(client.__class__(), "grace", PASSWORD, "10.0.0.2").status_code == 429
    assert signed_in(sign_in(client.__class__(), "grace", PASSWORD, "10.0.0.3"))


@pytest.mark.django_db
def test_the_session_id_changes_at_sign_in(client, ada):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key

    response = sign_in(client, "ada", PASSWORD)

    assert signed_in(response)
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site_lax(client, ada):
    client.get(LOGIN)
    csrf = client.cookies["csrftoken"]
    response = sign_in(client, "ada", PASSWORD)
    session = response.cookies["sessionid"]

    assert session["httponly"] and session["samesite"] == "Lax"
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " https://evil.example",
        "https://testserver@evil.example/",
    ],
)
def test_next_never_redirects_off_the_site(client, ada, target):
    response = sign_in(client, "ada", PASSWORD, next=target)

    assert signed_in(response)
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location and "javascript" not in location


@pytest.mark.django_db
def test_next_to_a_page_on_the_site_is_followed(client, ada):
    response = sign_in(client, "ada", PASSWORD, next="/admin/pages/")

    assert response["Location"] == "/admin/pages/"


@pytest.mark.django_db
def test_password_reset_link_uses_the_admin_base_url_not_the_host(client, ada, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.org"

    client.post("/admin/password_reset/", {"email": "ada@example.com"}, HTTP_HOST="127.0.0.1")

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://admin.example.org/admin/password_reset/confirm/" in body
    assert "127.0.0.1" not in body


@pytest.mark.django_db
def test_password_reset_reveals_nothing_about_which_accounts_exist(client, ada):
    known = client.post("/admin/password_reset/", {"email": "ada@example.com"})
    unknown = client.post("/admin/password_reset/", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = without_csrf_token(client.get(known["Location"]).content.decode())
    done_unknown = without_csrf_token(client.get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    assert len(mail.outbox) == 1  # only the real account got an e-mail


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("plum-orchard-lantern-42")


@pytest.mark.django_db
def test_behind_a_proxy_the_clients_own_address_is_counted(client, grace, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(50):
        # A client may forge the left part of X-Forwarded-For; the proxy appends the real one.
        forged = f"203.0.113.{number}, 198.51.100.7"
        response = client.post(
            LOGIN,
            {"username": f"user{number % 5}", "password": "wrong password!"},
            REMOTE_ADDR="10.0.0.1",  # the load balancer
            HTTP_X_FORWARDED_FOR=forged,
        )
    assert response.status_code == 429

    # Another client behind the same load balancer is not affected.
    response = client.__class__().post(
        LOGIN,
        {"username": "grace", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302

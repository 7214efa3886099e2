"""The language comes from the URL alone: English URLs are English for every browser."""

import pytest
from django.test import Client

from tests.serving.conftest import HIT, MISS


@pytest.fixture
def french_browser():
    return Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")


@pytest.mark.django_db
def test_english_url_stays_english_for_a_french_browser(french_browser, home):
    response = french_browser.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_english_url_does_not_vary_by_browser_language(french_browser, home):
    response = french_browser.get("/")
    assert "accept-language" not in response.get("Vary", "").lower()


@pytest.mark.django_db
def test_a_language_cookie_does_not_redirect_or_translate(client, home):
    client.cookies["django_language"] = "fr"
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_page_cache_keeps_english_pages_whatever_the_browser_language(
    settings, french_browser, client, home
):
    settings.PAGE_CACHE_SECONDS = 300
    first = french_browser.get("/")
    assert first["X-Page-Cache"] == MISS
    second = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert second["X-Page-Cache"] == HIT
    assert second["Content-Language"] == "en"

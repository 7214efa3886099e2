"""The readers' form at <compilation>/suggest/ (suggestions/views.py): what it stores, and each
of its guards."""

import pytest
from django.test import Client

from suggestions.models import Status, Suggestion
from tests import factories
from tests.suggestions.conftest import URL, form_data


def post(client, **overrides):
    """The form posted as a browser does: following the redirect to the thank-you page."""
    return client.post(URL, form_data(**overrides), follow=True)


@pytest.mark.django_db
def test_the_form_lists_the_sections_and_preselects_the_linked_one(client, compilation):
    response = client.get(URL + "?section=caching")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="caching" selected>Caching</option>' in html
    assert '<option value="databases">Databases</option>' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_each_section_and_the_header_link_to_the_form(client, compilation):
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert f'<a href="{URL}">Suggest an entry</a>' in html
    assert f'href="{URL}?section=caching"' in html
    assert f'href="{URL}?section=databases"' in html


@pytest.mark.django_db
def test_a_valid_suggestion_is_stored_for_the_editors(client, compilation):
    response = post(client, email="reader@example.com", credit="on", credit_name="Ada")

    assert response.status_code == 200
    assert "is with the editors" in response.content.decode()
    suggestion = Suggestion.objects.get()
    assert suggestion.compilation_id == compilation.pk
    assert suggestion.status == Status.NEW
    assert suggestion.section_heading == "Caching"
    assert suggestion.section_id == compilation.body.raw_data[1]["id"]
    assert (suggestion.email, suggestion.credit_name) == ("reader@example.com", "Ada")


@pytest.mark.django_db
def test_a_suggestion_taken_redirects_to_the_thanks_which_a_reload_does_not_post_again(
    client, compilation
):
    response = client.post(URL, form_data())

    assert response.status_code == 303
    assert response["Location"] == URL + "?sent=caching"
    assert "no-store" in response["Cache-Control"]
    for _ in range(2):  # the thank-you page, then a reload of it
        thanks = client.get(response["Location"])
        assert "is with the editors" in thanks.content.decode()
    assert Suggestion.objects.count() == 1


@pytest.mark.django_db
def test_the_thanks_for_an_unknown_section_is_the_form(client, compilation):
    response = client.get(URL + "?sent=no-such-section")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.django_db
def test_a_name_is_credited_only_when_the_box_is_ticked(client, compilation):
    post(client, credit_name="Ada")
    assert Suggestion.objects.get().credit_name == ""


@pytest.mark.django_db
def test_asking_for_credit_without_a_name_is_a_form_error(client, compilation):
    response = post(client, credit="on")
    assert "Give the name to credit" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(compilation):
    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_post_with_the_csrf_token_passes(compilation):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL)
    token = browser.cookies["csrftoken"].value
    response = browser.post(URL, {**form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Suggestion.objects.count() == 1


@pytest.mark.django_db
def test_a_filled_honeypot_looks_accepted_but_keeps_nothing(client, compilation):
    response = post(client, website="https://spam.example.com/")
    assert response.status_code == 200
    assert "is with the editors" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people(client, compilation):
    html = client.get(URL).content.decode()
    assert '<div class="suggest-form__trap" aria-hidden="true">' in html
    assert 'name="website" id="id_website" tabindex="-1" autocomplete="off"' in html


@pytest.mark.django_db
def test_too_many_suggestions_from_one_address_get_a_friendly_429(client, compilation, settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    for n in range(2):
        assert post(client, url=f"https://example.org/{n}").status_code == 200

    response = post(client, url="https://example.org/3")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "try again in about" in response.content.decode()
    assert Suggestion.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(URL, form_data()).status_code == 303


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "size"),
    [("url", 2001), ("title", 201), ("annotation", 141), ("email", 255), ("credit_name", 41)],
)
def test_oversized_fields_are_form_errors(client, compilation, field, size):
    value = {
        "url": "https://example.org/" + "a" * size,
        "email": "a" * (size - 12) + "@example.org",
    }.get(field, "x" * size)
    response = post(client, **{field: value, "credit": "on", "credit_name": "Ada"} | {field: value})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Only http:// and https:// links"),
        ("ftp://example.org/file", "Only http:// and https:// links"),
        ("file:///etc/passwd", "Only http:// and https:// links"),
        ("https://user:secret@example.org/", "Leave the user name and password out"),
        ("not a link", "Only http:// and https:// links"),
        ("https://exa mple.org/", "This is not a web address"),
    ],
)
def test_bad_links_are_form_errors(client, compilation, url, message):
    response = post(client, url=url)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://metadata.google.internal/",
        "http://intranet/",
        "http://printer.local/",
        "http://0.0.0.0/",
    ],
)
def test_links_into_private_networks_are_form_errors(client, compilation, url):
    response = post(client, url=url)
    assert "This link points inside a private network" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_an_unknown_section_is_a_form_error(client, compilation):
    response = post(client, section="no-such-section")
    assert "Select a valid choice" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_markup_in_the_fields_is_shown_escaped(client, compilation):
    response = post(client, title="<script>alert(1)</script>", credit="on")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_a_link_already_listed_is_kept_as_a_duplicate(client, compilation):
    response = post(client, url="HTTPS://Docs.DjangoProject.com/en/5.2/topics/cache#top")
    assert "already in" in response.content.decode()
    assert Suggestion.objects.get().status == Status.DUPLICATE


@pytest.mark.django_db
def test_a_link_in_the_unpublished_draft_is_a_duplicate_too(client, compilation):
    raw = [dict(block) for block in compilation.body.raw_data]
    raw[0]["value"]["entries"].append(
        {
            "type": "link",
            "value": {
                "url": "https://example.org/new/",
                "title": "New",
                "source": "Example",
                "annotation": "New.",
            },
        }
    )
    factories.draft_sections(compilation, raw)

    post(client, url="https://example.org/new")

    assert Suggestion.objects.get().status == Status.DUPLICATE


@pytest.mark.django_db
def test_other_methods_are_refused(client, compilation):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.django_db
def test_a_draft_compilation_has_no_form(client, compilation):
    compilation.unpublish()
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_two_readers_get_their_own_csrf_tokens(compilation):
    first, second = Client(), Client()
    one, two = first.get(URL), second.get(URL)
    assert one["Cache-Control"] == two["Cache-Control"]
    assert "no-store" in one["Cache-Control"] and "private" in one["Cache-Control"]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


@pytest.mark.django_db
def test_the_page_cache_never_stores_the_form(compilation, settings):
    settings.PAGE_CACHE_SECONDS = 300
    first, second = Client(), Client()
    one, two = first.get(URL), second.get(URL)

    # Stored pages are answered with X-Page-Cache (miss, then hit); the form never is.
    assert "X-Page-Cache" not in one and "X-Page-Cache" not in two
    marker = 'name="csrfmiddlewaretoken" value="'
    tokens = [r.content.decode().split(marker)[1].split('"')[0] for r in (one, two)]
    assert tokens[0] != tokens[1]
    # The compilation itself is still served from the cache, links to the form and all.
    page = "/django-at-scale-in-production/"
    assert Client().get(page)["X-Page-Cache"] == "miss"
    cached = Client().get(page)
    assert cached["X-Page-Cache"] == "hit"
    assert f'href="{URL}?section=caching"' in cached.content.decode()

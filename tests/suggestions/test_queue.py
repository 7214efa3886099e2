"""The editors' queue in the admin (suggestions/queue.py and wagtail_hooks.py): the listing with
its filters and counts, the review page, the three decisions and who may take them."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from blog import outline
from suggestions.models import Status, Suggestion
from tests.suggestions.test_decisions import make_suggestion

INDEX = "/admin/suggestions/"


def review_url(suggestion, action=""):
    return f"{INDEX}{suggestion.pk}/{action + '/' if action else ''}"


@pytest.fixture
def waiting(compilation):
    return make_suggestion(compilation, email="reader@example.com", credit_name="Ada")


@pytest.mark.django_db
def test_the_queue_lists_suggestions_with_counts_per_status(client, editor, compilation):
    make_suggestion(compilation, title="Waiting one")
    make_suggestion(compilation, title="Turned down", status=Status.REJECTED)
    client.force_login(editor)

    html = client.get(INDEX).content.decode()

    assert "Waiting one" in html and "Turned down" in html
    assert "New: <strong>1</strong>" in html
    assert "Rejected: <strong>1</strong>" in html
    assert "Accepted: <strong>0</strong>" in html


@pytest.mark.django_db
def test_the_queue_filters_by_status_and_compilation(client, editor, compilation):
    make_suggestion(compilation, title="Waiting one")
    make_suggestion(compilation, title="Turned down", status=Status.REJECTED)
    client.force_login(editor)

    html = client.get(INDEX, {"status": "new", "compilation": compilation.pk}).content.decode()

    assert "Waiting one" in html and "Turned down" not in html


@pytest.mark.django_db
def test_the_queue_never_shows_addresses(client, editor, waiting):
    client.force_login(editor)
    assert "reader@example.com" not in client.get(INDEX).content.decode()


@pytest.mark.django_db
def test_the_queue_costs_the_same_for_many_suggestions(
    client, editor, compilation, django_assert_max_num_queries
):
    for n in range(3):
        make_suggestion(compilation, title=f"Link {n}")
    client.force_login(editor)
    client.get(INDEX)  # warm the per-process caches (content types, site)

    with django_assert_max_num_queries(10) as few:
        client.get(INDEX)
    for n in range(3, 30):
        make_suggestion(compilation, title=f"Link {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_review_page_shows_the_address_to_editors(client, editor, waiting):
    client.force_login(editor)
    html = client.get(review_url(waiting)).content.decode()
    assert "reader@example.com" in html
    assert "Accept into a draft" in html


@pytest.mark.django_db
def test_one_click_accept_opens_the_draft_with_the_entry(client, editor, waiting, compilation):
    client.force_login(editor)

    response = client.post(review_url(waiting, "accept"))

    section = next(s for s in compilation.section_pages(live=False) if s.title == "Caching")
    edit_url = reverse("wagtailadmin_pages:edit", args=(section.pk,))
    assert response.status_code == 302 and response["Location"] == edit_url
    draft = Page.objects.get(pk=section.pk).specific.get_latest_revision_as_object()
    caching = next(iter(outline.sections([draft.as_block()])))
    assert caching.entries[-1].url == waiting.url
    page = client.get(edit_url)
    assert page.status_code == 200
    assert "is in a new draft of" in page.content.decode()


@pytest.mark.django_db
def test_reject_needs_a_reason(client, editor, waiting):
    client.force_login(editor)

    response = client.post(review_url(waiting, "reject"), {"reason": ""})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW


@pytest.mark.django_db
def test_reject_with_a_reason(client, editor, waiting):
    client.force_login(editor)

    response = client.post(review_url(waiting, "reject"), {"reason": "Off topic."})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.reason, waiting.decided_by) == (
        Status.REJECTED,
        "Off topic.",
        editor,
    )


@pytest.mark.django_db
def test_mark_duplicate(client, editor, waiting):
    client.force_login(editor)
    assert client.post(review_url(waiting, "duplicate")).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.DUPLICATE


@pytest.mark.django_db
def test_decisions_need_a_post(client, editor, waiting):
    client.force_login(editor)
    assert client.get(review_url(waiting, "accept")).status_code == 405


@pytest.mark.django_db
def test_a_member_of_the_editors_group_may_decide(client, role_editor, waiting):
    client.force_login(role_editor)
    assert client.get(INDEX).status_code == 200
    assert client.post(review_url(waiting, "accept")).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["", "accept", "reject", "duplicate"])
def test_anonymous_visitors_are_sent_to_log_in(client, waiting, action):
    method = client.get if not action else client.post
    response = method(review_url(waiting, action), {"reason": "No."})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["", "accept", "reject", "duplicate"])
def test_accounts_without_the_right_cannot_act(client, reader, waiting, action):
    client.force_login(reader)
    method = client.get if not action else client.post
    response = method(review_url(waiting, action), {"reason": "No."})
    assert response.status_code in (302, 403)
    assert client.get(INDEX).status_code in (302, 403)
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW


@pytest.mark.django_db
def test_editors_who_cannot_edit_the_compilation_cannot_act(client, role_editor, waiting):
    GroupPagePermission.objects.filter(group__name="Editors").delete()
    client.force_login(role_editor)

    response = client.post(review_url(waiting, "accept"))

    # Wagtail's admin answers PermissionDenied with a redirect and a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW


@pytest.mark.django_db
def test_the_dashboard_counts_the_waiting_suggestions(client, editor, compilation):
    for n in range(2):
        make_suggestion(compilation, title=f"Link {n}")
    make_suggestion(compilation, status=Status.ACCEPTED)
    client.force_login(editor)

    html = client.get("/admin/").content.decode()

    assert "<strong>2 suggestions</strong> from readers waiting" in html


@pytest.mark.django_db
def test_the_dashboard_panel_is_for_those_who_decide(client, reader, compilation):
    make_suggestion(compilation)
    client.force_login(reader)
    assert "Readers&#x27; suggestions" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_nobody_adds_or_deletes_suggestions_by_hand(client, editor, waiting):
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert f'href="{INDEX}new/"' not in html
    assert client.get(f"{INDEX}new/").status_code == 404
    assert client.post(f"{INDEX}delete/{waiting.pk}/").status_code == 404
    assert Suggestion.objects.filter(pk=waiting.pk).exists()

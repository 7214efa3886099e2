"""What a decision does (suggestions/decisions.py): accepting adds the entry to a new draft of
the compilation and publishes nothing; rejections keep their reason."""

import pytest
from django.core import mail

from blog import outline
from blog.models import CompilationPage
from suggestions import decisions
from suggestions.models import Status, Suggestion
from tests import factories
from tests.suggestions.conftest import LISTED


def make_suggestion(compilation, **overrides):
    section = compilation.body.raw_data[1]
    fields = {
        "compilation": compilation,
        "url": "https://www.example.org/articles/cache-stampedes",
        "title": "Cache stampedes, explained",
        "section_id": section["id"],
        "section_heading": "Caching",
        "annotation": "Why many workers refill one key at once.",
    }
    return Suggestion.objects.create(**{**fields, **overrides})


def sections(page):
    """{heading: outline section} of a compilation's body, or of one section page."""
    raw = page.body.raw_data if isinstance(page, CompilationPage) else [page.as_block()]
    return {section.heading: section for section in outline.sections(raw)}


def section_page(compilation, heading="Caching"):
    return next(s for s in compilation.section_pages(live=False) if s.title == heading)


@pytest.mark.django_db
def test_accepting_adds_the_entry_to_its_section_in_a_new_draft(compilation, editor):
    suggestion = make_suggestion(compilation, credit_name="Ada")
    caching = section_page(compilation)
    before = caching.latest_revision_id

    revision = decisions.accept(suggestion, editor)

    caching.refresh_from_db()
    assert revision.pk == caching.latest_revision_id != before
    assert caching.has_unpublished_changes
    entries = sections(revision.as_object())["Caching"].entries
    assert [entry.url for entry in entries] == [LISTED, suggestion.url]
    added = entries[-1]
    assert (added.kind, added.title, added.source) == ("link", suggestion.title, "example.org")
    assert added.annotation == "Why many workers refill one key at once. (suggested by Ada)"
    assert added.id  # a stable block id, like the entries editors add
    assert not CompilationPage.objects.get(pk=compilation.pk).has_unpublished_changes


@pytest.mark.django_db
def test_the_live_page_is_unchanged_until_published(client, compilation, editor):
    decisions.accept(make_suggestion(compilation), editor)

    live = CompilationPage.objects.get(pk=compilation.pk)
    assert [e.url for e in sections(live)["Caching"].entries] == [LISTED]
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert "Cache stampedes, explained" not in html

    section_page(compilation).get_latest_revision().publish()
    html = client.get("/django-at-scale-in-production/").content.decode()
    assert "Cache stampedes, explained" in html


@pytest.mark.django_db
def test_accepting_keeps_other_unpublished_edits(compilation, editor):
    draft = section_page(compilation).get_latest_revision_as_object()
    draft.text = "Rewritten in a draft."
    draft.save_revision(user=editor)

    revision = decisions.accept(make_suggestion(compilation), editor)

    assert revision.as_object().text == "Rewritten in a draft."


@pytest.mark.django_db
def test_accepting_records_who_and_when(compilation, editor):
    suggestion = make_suggestion(compilation)
    decisions.accept(suggestion, editor)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    assert suggestion.decided_by == editor
    assert suggestion.decided_at is not None


@pytest.mark.django_db
def test_a_section_renamed_since_is_found_by_its_id(compilation, editor):
    raw = [dict(block) for block in compilation.body.raw_data]
    raw[1]["value"]["heading"] = "Caches"
    factories.draft_sections(compilation, raw)

    revision = decisions.accept(make_suggestion(compilation), editor)

    assert len(sections(revision.as_object())["Caches"].entries) == 2


@pytest.mark.django_db
def test_a_section_removed_since_cannot_take_the_entry(compilation, editor):
    suggestion = make_suggestion(compilation)
    section_page(compilation).delete()

    with pytest.raises(decisions.CannotAccept, match="no longer in the compilation"):
        decisions.accept(suggestion, editor)

    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW


@pytest.mark.django_db
def test_a_suggestion_is_decided_once(compilation, editor):
    suggestion = make_suggestion(compilation)
    decisions.accept(suggestion, editor)
    revisions = compilation.revisions.count()

    with pytest.raises(decisions.CannotAccept, match="already marked accepted"):
        decisions.accept(suggestion, editor)
    with pytest.raises(decisions.CannotAccept):
        decisions.reject(suggestion, editor, "Changed my mind")

    assert compilation.revisions.count() == revisions


@pytest.mark.django_db
def test_rejecting_keeps_the_reason(compilation, editor):
    suggestion = make_suggestion(compilation)
    decisions.reject(suggestion, editor, "Covered by the Django docs entry.")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == (
        Status.REJECTED,
        "Covered by the Django docs entry.",
    )


@pytest.mark.django_db
def test_marking_a_duplicate_sends_no_mail(compilation, editor):
    suggestion = make_suggestion(compilation, email="reader@example.com")
    decisions.mark_duplicate(suggestion, editor)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.DUPLICATE
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling",
    [
        LISTED,
        LISTED.rstrip("/"),
        LISTED + "#backends",
        "HTTPS://DOCS.djangoproject.com/en/5.2/topics/cache/",
        "https://docs.djangoproject.com:443/en/5.2/topics/cache/",
    ],
)
def test_spellings_of_a_listed_link_are_duplicates(compilation, spelling):
    assert decisions.is_duplicate(compilation, spelling)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "other",
    [
        "https://docs.djangoproject.com/en/5.2/topics/cache/?lang=fr",
        "http://docs.djangoproject.com:8080/en/5.2/topics/cache/",
        "https://docs.djangoproject.com/en/5.2/topics/CACHE/",
    ],
)
def test_other_links_are_not_duplicates(compilation, other):
    assert not decisions.is_duplicate(compilation, other)

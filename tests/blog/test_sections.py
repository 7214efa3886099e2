"""A compilation's sections as pages of their own, and the body assembled from them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from blog.models import CompilationPage, CompilationSectionPage
from blog.sections import split_into_sections
from changes.log import publishes
from tests import factories

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def headings(compilation):
    compilation.refresh_from_db()
    return [block.value["heading"] for block in compilation.body]


@pytest.fixture
def post(index):
    return factories.make_post(index, title="Indexes in practice")


@pytest.fixture
def compilation(home, post):
    return factories.make_compilation(
        home,
        [
            factories.section("Caching", [factories.link_entry(1), factories.post_entry(post)]),
            factories.section("Databases", [factories.link_entry(2)], anchor="db"),
            factories.section("Deploying", []),
        ],
    )


def section_of(compilation, slug):
    return CompilationSectionPage.objects.child_of(compilation).get(slug=slug)


# --- Conversion ------------------------------------------------------------------------------


def test_splitting_keeps_every_section_entry_and_id_and_the_page_byte_identical(client, home, post):
    body = [
        {**factories.section("Caching", [factories.post_entry(post), factories.link_entry(1)])},
        {**factories.section("Databases", [factories.link_entry(2)], anchor="db")},
    ]
    body[0]["id"] = "2b0c5e1c-4c46-4f43-a3ba-5fd4cb1f3a01"
    body[1]["id"] = "2b0c5e1c-4c46-4f43-a3ba-5fd4cb1f3a02"
    for number, entry in enumerate(body[0]["value"]["entries"] + body[1]["value"]["entries"]):
        entry["id"] = f"0e6f1f43-5b55-4c8e-8f3e-00000000000{number}"
    page = home.add_child(
        instance=CompilationPage(
            title="C", slug="c", summary="S", intro="I", body=body, has_section_pages=False
        )
    )
    factories.publish(page)
    before = client.get("/c/").content
    revisions = page.revisions.count()

    split_into_sections(page)
    page.refresh_from_db()

    sections = list(page.section_pages())
    assert [(s.title, s.slug, str(s.translation_key)) for s in sections] == [
        ("Caching", "caching", body[0]["id"]),
        ("Databases", "db", body[1]["id"]),
    ]
    assert [[e["id"] for e in s.entries.raw_data] for s in sections] == [
        [e["id"] for e in block["value"]["entries"]] for block in body
    ]
    assert page.has_section_pages and page.revisions.count() == revisions
    assert client.get("/c/").content == before
    # What a section's publish assembles is what readers already saw.
    assert [block["id"] for block in page.assembled_body()] == [b["id"] for b in body]
    assert split_into_sections(page) == []  # once only


def test_splitting_keeps_a_waiting_draft_of_the_body_as_section_drafts(home, post):
    page = home.add_child(
        instance=CompilationPage(
            title="C",
            slug="c",
            summary="S",
            body=[factories.section("Caching", [factories.link_entry(1)])],
            has_section_pages=False,
        )
    )
    factories.publish(page)
    draft = page.get_latest_revision_as_object()
    raw = [dict(block) for block in draft.body.raw_data]
    raw[0]["value"] = {**raw[0]["value"], "heading": "Caching, drafted"}
    raw.append(factories.section("Security", [factories.post_entry(post)]))
    draft.body = raw
    draft.save_revision()

    split_into_sections(page)

    caching, security = page.section_pages(live=False)
    assert caching.live and caching.title == "Caching"
    assert caching.get_latest_revision_as_object().title == "Caching, drafted"
    assert not security.live and security.get_latest_revision_as_object().title == "Security"
    assert headings(page) == ["Caching"]


def test_a_compilation_without_sections_is_not_split_again(compilation):
    for section in compilation.section_pages(live=False):
        section.delete()
    compilation.refresh_from_db()

    assert split_into_sections(compilation) == []
    assert compilation.body.raw_data == [] or list(compilation.body) == []


# --- Publishing a section --------------------------------------------------------------------


def test_publishing_a_section_updates_the_page_readers_see_and_its_changes_log(client, compilation):
    section = section_of(compilation, "caching").specific
    section.entries = [*section.entries.raw_data, factories.link_entry(9, title="New doc")]
    section.save_revision().publish()

    html = client.get(compilation.url).content.decode()
    assert "New doc" in html
    latest = publishes(CompilationPage.objects.get(pk=compilation.pk))[0]
    assert [(c.kind, c.title) for c in latest.changes] == [("entry-added", "New doc")]
    assert PageLogEntry.objects.filter(page=compilation, action="blog.sections_assembled").exists()


def test_a_section_draft_changes_nothing_readers_see(client, compilation):
    section = section_of(compilation, "caching").specific
    section.title = "Caching, drafted"
    section.save_revision()

    assert headings(compilation) == ["Caching", "Databases", "Deploying"]
    assert "Caching, drafted" not in client.get(compilation.url).content.decode()


def test_a_pending_compilation_draft_survives_a_section_publish(compilation):
    draft = compilation.get_latest_revision_as_object()
    draft.intro = "A new intro, not published yet."
    draft.save_revision()

    section = section_of(compilation, "caching").specific
    section.title = "Caching and CDNs"
    section.save_revision().publish()

    compilation.refresh_from_db()
    assert compilation.intro == "How to read it."
    assert compilation.has_unpublished_changes
    waiting = compilation.get_latest_revision_as_object()
    assert waiting.intro == "A new intro, not published yet."
    assert [b.value["heading"] for b in waiting.body][0] == "Caching and CDNs"
    assert headings(compilation)[0] == "Caching and CDNs"


def test_publishing_an_old_compilation_draft_brings_back_no_stale_sections(compilation):
    draft = compilation.get_latest_revision_as_object()
    draft.intro = "Edited intro."
    revision = draft.save_revision()
    section = section_of(compilation, "db").specific
    section.title = "Databases, revised"
    section.save_revision().publish()

    revision.refresh_from_db()
    revision.publish()

    compilation.refresh_from_db()
    assert compilation.intro == "Edited intro."
    assert headings(compilation)[1] == "Databases, revised"


def test_unpublishing_a_section_takes_it_off_the_compilation(client, compilation):
    section_of(compilation, "db").specific.unpublish()

    assert headings(compilation) == ["Caching", "Deploying"]
    assert 'id="db"' not in client.get(compilation.url).content.decode()


def test_deleting_a_section_takes_it_off_the_compilation(compilation):
    section_of(compilation, "db").specific.delete()

    assert headings(compilation) == ["Caching", "Deploying"]


def test_deleting_the_compilation_deletes_its_sections(compilation):
    compilation.delete()

    assert not CompilationSectionPage.objects.exists()


def test_reordering_sections_reorders_the_compilation(compilation):
    section_of(compilation, "deploying").move(section_of(compilation, "caching"), "left")

    assert headings(compilation) == ["Deploying", "Caching", "Databases"]


def test_a_new_section_published_joins_at_its_place(compilation, post):
    factories.make_section(compilation, "Security", [factories.post_entry(post)])

    assert headings(compilation)[-1] == "Security"


# --- Readers ---------------------------------------------------------------------------------


def test_a_sections_own_address_leads_to_its_place_on_the_compilation(client, compilation):
    response = client.get(f"{compilation.url}db/")

    assert response.status_code == 301
    assert response["Location"] == f"{compilation.url}#db"


def test_sections_are_not_in_the_sitemap_or_search(client, compilation):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert compilation.url in sitemap and f"{compilation.url}db/" not in sitemap
    results = client.get("/search/", {"q": "Databases"}).content.decode()
    assert f"{compilation.url}db/" not in results


def test_sections_are_not_listed_by_the_api(client, compilation):
    listed = client.get("/api/v2/pages/").json()["items"]

    assert CompilationSectionPage.objects.exists()
    assert not [item for item in listed if item["meta"]["type"] == "blog.CompilationSectionPage"]


# --- Editors ---------------------------------------------------------------------------------


def test_the_compilation_editor_lists_its_sections_in_order(client, editor, compilation):
    client.force_login(editor)

    html = client.get(edit_url(compilation)).content.decode()

    assert html.index("Caching") < html.index("Databases") < html.index("Deploying")
    assert edit_url(section_of(compilation, "db")) in html
    assert "2 entries" in html and "Add section" in html
    assert (
        reverse("wagtailadmin_pages:add", args=["blog", "compilationsectionpage", compilation.pk])
        in html
    )
    assert 'name="body' not in html


def test_a_section_publish_from_the_admin_keeps_its_note_for_readers(
    client, editor, compilation, post
):
    client.force_login(editor)
    section = section_of(compilation, "caching")
    data = factories.section_form_data(
        post, change_note="Two entries now.", **{"action-publish": "publish"}
    )

    assert client.post(edit_url(section), data).status_code == 302

    assert publishes(CompilationPage.objects.get(pk=compilation.pk))[0].note == "Two entries now."


def edit_view_queries(client, page):
    """The queries of the page's edit view, once its caches are warm."""
    client.get(edit_url(page))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(edit_url(page)).status_code == 200
    return len(queries)


def test_a_section_editor_asks_no_query_per_entry(client, editor, home, index):
    client.force_login(editor)
    posts = [factories.make_post(index) for _ in range(40)]
    counts = []
    for count in (2, 40):
        compilation = factories.make_compilation(
            home,
            [factories.section("Many", [factories.post_entry(p) for p in posts[:count]])],
            slug=f"many-{count}",
        )
        counts.append(edit_view_queries(client, compilation.get_children().get()))

    assert counts[0] == counts[1]


def test_the_compilation_editor_asks_no_query_per_section(client, editor, home):
    client.force_login(editor)
    counts = []
    for count in (2, 12):
        sections = [
            factories.section(f"Section {n}", [factories.link_entry(n)]) for n in range(count)
        ]
        compilation = factories.make_compilation(home, sections, slug=f"sections-{count}")
        counts.append(edit_view_queries(client, compilation))

    assert counts[0] == counts[1]


def test_a_scheduled_section_reaches_the_compilation_when_it_goes_live(compilation):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    section = section_of(compilation, "db").specific
    section.title = "Databases, scheduled"
    section.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = section.save_revision()
    revision.publish()
    assert headings(compilation)[1] == "Databases"

    # The next day, as far as the schedule is concerned.
    revision.refresh_from_db()
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")

    assert headings(compilation)[1] == "Databases, scheduled"


def test_a_section_added_in_the_admin_is_reviewed_today_and_published_in_place(
    client, editor, compilation, post
):
    import datetime

    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=["blog", "compilationsectionpage", compilation.pk])
    html = client.get(add).content.decode()
    assert f'value="{datetime.date.today().isoformat()}"' in html

    data = factories.section_form_data(
        post, title="Security", slug="security", **{"action-publish": "publish"}
    )
    assert client.post(add, data).status_code == 302

    assert headings(compilation) == ["Caching", "Databases", "Deploying", "Security"]


def test_publishing_a_section_refreshes_the_cached_compilation(settings, client, compilation):
    from tests.serving.conftest import HIT

    settings.PAGE_CACHE_SECONDS = 300
    client.get(compilation.url)
    assert client.get(compilation.url)["X-Page-Cache"] == HIT

    section = section_of(compilation, "db").specific
    section.title = "Databases, refreshed"
    section.save_revision().publish()

    response = client.get(compilation.url)
    assert response["X-Page-Cache"] != HIT
    assert "Databases, refreshed" in response.content.decode()


def test_a_compilation_in_moderation_stays_in_moderation_after_a_section_publish(
    editor, compilation
):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowState, WorkflowTask

    workflow = Workflow.objects.create(name="Review")
    task = GroupApprovalTask.objects.create(name="Approve")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    draft = compilation.get_latest_revision_as_object()
    draft.intro = "Submitted for review."
    draft.save_revision(user=editor)
    state = workflow.start(CompilationPage.objects.get(pk=compilation.pk), editor)

    section = section_of(compilation, "db").specific
    section.title = "Databases, meanwhile"
    section.save_revision().publish()

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert headings(compilation)[1] == "Databases, meanwhile"
    waiting = CompilationPage.objects.get(pk=compilation.pk).get_latest_revision_as_object()
    assert waiting.intro == "Submitted for review."

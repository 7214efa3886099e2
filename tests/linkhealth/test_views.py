"""The admin for editors: link report, dashboard panel, editor warnings and publishing checks,
help text and block previews. Link checks run against tests/link_server.py on 127.0.0.1."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend
from openpyxl import load_workbook
from wagtail import blocks

from blog.blocks import ANNOTATION_MAX
from blog.models import Author, CompilationPage, Topic, TopicPostPage
from home.models import HomePage
from linkhealth.checker import Checker, run_check
from linkhealth.models import LinkCheck, LinkCheckRun, LinkUse, Outcome
from tests import factories
from tests.link_server import LinkServer, free_port

REPORT = "/admin/reports/links/"


@pytest.fixture
def server():
    server = LinkServer(slow_seconds=3.0)
    yield server
    server.stop()


@pytest.fixture
def checked(home, index, server):
    """A compilation whose entries answer 200, 301, 404 and refuse; a post linking to a 500."""
    refused = f"http://127.0.0.1:{free_port()}/refused"
    entries = [
        factories.link_entry(1, url=server.url("/ok"), title="Fine"),
        factories.link_entry(2, url=server.url("/moved"), title="Moved"),
        factories.link_entry(3, url=server.url("/missing"), title="Gone"),
        factories.link_entry(4, url=refused, title="Nobody home"),
    ]
    compilation = factories.make_compilation(
        home, [factories.section("Caching", entries, anchor="caching")]
    )
    post = factories.make_post(
        index,
        title="Post with a bad link",
        body=[{"type": "markdown", "value": f"## Ops\n\n[Status]({server.url('/error')})"}],
    )
    run_check(Checker(read_timeout=2))
    return {"compilation": compilation, "post": post, "refused": refused}


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_report_lists_broken_and_redirected_links_with_edit_links(client, editor, server, checked):
    client.force_login(editor)

    html = client.get(REPORT).content.decode()

    for path in ("/moved", "/missing", "/error"):
        assert server.url(path) in html
    assert checked["refused"] in html and "connection refused" in html
    assert html.count(server.url("/ok")) == 1  # only as where /moved ends up
    assert f'href="{edit_url(checked["compilation"])}"' in html
    assert f'href="{edit_url(checked["post"])}"' in html
    assert "Caching" in html and "Client error (4xx)" in html
    assert "Check all links now" in html


@pytest.mark.django_db
def test_report_filters_by_problem_and_host(client, editor, server, checked):
    client.force_login(editor)

    redirected = client.get(REPORT, {"problem": "redirect"}).content.decode()
    broken = client.get(REPORT, {"problem": "broken", "outcome": "server_error"}).content.decode()

    assert server.url("/moved") in redirected and server.url("/missing") not in redirected
    assert server.url("/error") in broken and server.url("/missing") not in broken
    assert client.get(REPORT, {"host": "nowhere.example"}).status_code == 200


@pytest.mark.django_db
def test_report_exports_csv(client, editor, server, checked):
    client.force_login(editor)

    response = client.get(REPORT, {"export": "csv"})

    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    missing = next(row for row in rows if row["URL"] == server.url("/missing"))
    assert (missing["Outcome"], missing["Status"]) == ("Client error (4xx)", "404")
    assert missing["Used on"] == "Django at Scale in Production#caching"


@pytest.mark.django_db
def test_report_exports_xlsx(client, editor, server, checked):
    client.force_login(editor)

    response = client.get(REPORT, {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("URL", "Outcome", "Status")
    assert {row[0] for row in rows[1:]} >= {server.url("/error"), server.url("/moved")}


@pytest.mark.django_db
def test_report_queries_do_not_grow_with_links(client, editor, checked, django_assert_num_queries):
    client.force_login(editor)
    client.get(REPORT)  # warm the session and permission caches
    with django_assert_num_queries(13):
        assert client.get(REPORT).status_code == 200
    for n in range(5):
        link = LinkCheck.objects.create(
            url=f"https://gone.example/{n}", host="gone.example", outcome=Outcome.DNS
        )
        LinkUse.objects.create(link=link, page=checked["post"], kind="Markdown")

    with django_assert_num_queries(13):
        assert "https://gone.example/4" in client.get(REPORT).content.decode()


@pytest.mark.django_db
def test_report_is_for_editors_only(client, django_user_model, checked):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="Moderators"))  # admin access, page permissions
    nobody = django_user_model.objects.create_user("nobody", password="a-long-test-password")

    client.force_login(nobody)
    assert client.get(REPORT).status_code in (302, 403)
    client.force_login(user)
    assert client.get(REPORT).status_code == 200


@pytest.mark.django_db
def test_dashboard_panel_shows_the_broken_count(client, editor, checked):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Link health" in html and "3 broken links" in html
    assert f'href="{REPORT}"' in html


@pytest.mark.django_db
def test_dashboard_panel_before_any_check(client, editor, home):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Links have not been checked yet." in html


@pytest.mark.django_db
def test_editor_warns_when_compilation_entries_have_broken_links(client, editor, server, checked):
    client.force_login(editor)

    html = client.get(edit_url(checked["compilation"])).content.decode()

    assert "2 entries link to a broken URL" in html
    assert server.url("/missing") in html and "Caching" in html
    assert server.url("/moved") not in html.split("broken URL")[1].split("</")[0]
    assert "Open the link report" in html


@pytest.mark.django_db
def test_no_warning_when_entries_are_healthy(client, editor, home, index):
    client.force_login(editor)
    compilation = factories.make_compilation(home, [factories.section("Empty", [])])

    html = client.get(edit_url(compilation)).content.decode()

    assert "link to a broken URL" not in html and "links to a broken URL" not in html


@pytest.mark.django_db
def test_editor_starts_a_check_from_the_report(client, editor, server, checked):
    client.force_login(editor)
    LinkCheck.objects.update(outcome=Outcome.UNCHECKED)

    response = client.post(reverse("linkhealth_check_start"), follow=True)

    assert response.redirect_chain[-1][0] == REPORT
    assert "Checked 5 links: 3 broken." in response.content.decode()
    assert LinkCheckRun.objects.filter(trigger="admin", checked=5, broken=3).exists()
    assert LinkCheck.objects.get(url=server.url("/missing")).status_code == 404


@pytest.mark.django_db
def test_starting_a_check_needs_a_post_and_an_editor(client, django_user_model, checked):
    nobody = django_user_model.objects.create_user("nobody", password="a-long-test-password")
    client.force_login(nobody)

    assert client.get(reverse("linkhealth_check_start")).status_code in (302, 405)
    assert client.post(reverse("linkhealth_check_start")).status_code in (302, 403)
    assert not LinkCheckRun.objects.filter(trigger="admin").exists()


@pytest.mark.django_db
def test_publishing_refuses_entries_that_point_at_drafts_but_keeps_the_draft(client, editor, index):
    client.force_login(editor)
    draft_post = factories.make_post(index, live=False, title="Not yet")
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    data = factories.compilation_form_data(draft_post, **{"action-publish": "publish"})

    response = client.post(edit_url(compilation), data, follow=True)

    html = response.content.decode()
    assert "Not published" in html and "“Not yet” is not published" in html
    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Old"  # the live page is unchanged
    draft = compilation.get_latest_revision_as_object()
    assert draft.body[0].value["heading"] == "Caching"  # nothing the editor wrote is lost
    assert compilation.has_unpublished_changes


@pytest.mark.django_db
def test_publishing_goes_ahead_when_every_post_entry_is_live(client, editor, index):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    data = factories.compilation_form_data(post, **{"action-publish": "publish"})

    client.post(edit_url(compilation), data)

    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Caching"
    assert not compilation.has_unpublished_changes


@pytest.mark.django_db
def test_saving_a_draft_with_a_draft_post_entry_is_allowed(client, editor, index):
    client.force_login(editor)
    draft_post = factories.make_post(index, live=False)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])

    response = client.post(edit_url(compilation), factories.compilation_form_data(draft_post))

    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.get_latest_revision_as_object().body[0].value["heading"] == "Caching"


def _blocks(block, seen=None):
    seen = seen if seen is not None else []
    for child in getattr(block, "child_blocks", {}).values():
        seen.append(child)
        _blocks(child, seen)
    if isinstance(block, blocks.ListBlock):
        seen.append(block.child_block)
        _blocks(block.child_block, seen)
    return seen


def test_every_field_and_block_has_help_text():
    missing = []
    for model in (CompilationPage, TopicPostPage, HomePage, Topic, Author):
        for field in model._meta.get_fields():
            if getattr(field, "model", None) is not model or not getattr(field, "editable", 0):
                continue
            if isinstance(field, models.AutoField | models.OneToOneField) or field.name == "id":
                continue
            if not field.help_text:
                missing.append(f"{model.__name__}.{field.name}")
    for model in (CompilationPage, TopicPostPage):
        for block in _blocks(model._meta.get_field("body").stream_block):
            meta, field = block.meta, getattr(block, "field", None)
            texts = [getattr(meta, "help_text", ""), getattr(meta, "description", "")]
            if not any([*texts, getattr(field, "help_text", "")]):
                missing.append(f"{model.__name__} body block {block.name or type(block).__name__}")
    assert missing == [], "\n".join(missing)


def test_annotations_are_limited():
    body = CompilationPage._meta.get_field("body").stream_block
    entries = body.child_blocks["section"].child_blocks["entries"]
    for entry in entries.child_blocks.values():
        assert entry.child_blocks["annotation"].field.max_length == ANNOTATION_MAX == 200


@pytest.mark.django_db
def test_section_and_entry_blocks_have_previews(client, editor, index):
    client.force_login(editor)
    factories.make_post(index, title="The newest post")
    section = CompilationPage._meta.get_field("body").stream_block.child_blocks["section"]
    entries = section.child_blocks["entries"].child_blocks

    html = {
        name: client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        ).content.decode()
        for name, block in [("section", section), *entries.items()]
    }

    assert section.is_previewable and all(block.is_previewable for block in entries.values())
    assert "Caching" in html["section"] and "css/site.css" in html["section"]
    assert "The newest post" in html["post"]
    assert (
        "Django&#x27;s cache framework" in html["link"] and '<ol class="entries">' in html["link"]
    )


@pytest.mark.django_db
def test_compilation_editor_starts_sections_collapsed_and_loads_the_counter(
    client, editor, home, index
):
    client.force_login(editor)
    compilation = factories.make_compilation(home, [factories.section("Caching", [])])

    html = client.get(edit_url(compilation)).content.decode()

    assert "&quot;collapsed&quot;: true" in html
    assert 'src="/static/js/admin-counter.js" defer' in html


def test_counter_script_is_served():
    from django.contrib.staticfiles import finders

    path = finders.find("js/admin-counter.js")
    assert path and '[name$="-annotation"]' in open(path).read()


@pytest.mark.django_db
def test_with_a_worker_backend_the_check_is_queued_not_run(client, editor, checked):
    client.force_login(editor)
    runs = LinkCheckRun.objects.count()
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with override_settings(TASKS=dummy):
        response = client.post(reverse("linkhealth_check_start"), follow=True)
        queued = [result.task.name for result in default_task_backend.results]

    assert "The link check has started" in response.content.decode()
    assert queued == ["check_links_task"]
    assert LinkCheckRun.objects.count() == runs  # nothing ran in the request


@pytest.mark.django_db
def test_the_markdown_editor_asks_no_other_host_for_fonts_avatars_or_dictionaries(
    client, editor, index
):
    client.force_login(editor)

    html = client.get(f"/admin/pages/add/blog/topicpostpage/{index.pk}/").content.decode()

    assert "css/admin-markdown.css" in html  # the toolbar's faces, from our own static files
    assert "js/admin-markdown-preview.js" in html  # turns off EasyMDE's CDN spell checker
    # The Markdown widget's template travels inside the StreamField's block definitions (JSON in
    # an HTML attribute), hence the escaped quotes.
    assert "data-easymde-autodownload-value=\\&quot;false\\&quot;" in html
    assert "gravatar.com" not in html

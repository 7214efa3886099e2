"""The link report (linkhealth/views.py): broken and redirected links with where they are used,
filters, exports, and starting a check from the admin. Link checks run against
tests/link_server.py on 127.0.0.1."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from linkhealth.models import LinkCheck, LinkCheckRun, LinkUse, Outcome

REPORT = "/admin/reports/links/"


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
def test_with_a_worker_backend_the_check_is_queued_not_run(client, editor, checked):
    client.force_login(editor)
    runs = LinkCheckRun.objects.count()
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with override_settings(TASKS=dummy):
        response = client.post(reverse("linkhealth_check_start"), follow=True)
        queued = [result.task.name for result in default_task_backend.results]

    assert "The link check is queued" in response.content.decode()
    assert queued == ["check_links_task"]
    assert LinkCheckRun.objects.count() == runs  # nothing ran in the request


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_request_only_queues_and_the_worker_checks(
    client, editor, site_links, server
):
    client.force_login(editor)

    with override_settings(TASKS=DATABASE_QUEUE):
        response = client.post(reverse("linkhealth_check_start"), follow=True)
        again = client.post(reverse("linkhealth_check_start"), follow=True)
        requests_before_worker = len(server.requests)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        report = client.get(REPORT).content.decode()

    assert "The link check is queued" in response.content.decode()
    assert "A link check is queued" in response.content.decode()
    assert "A link check is already running" in again.content.decode()
    assert requests_before_worker == 0  # the request only wrote the task down
    (result,) = DBTaskResult.objects.all()  # the second click queued nothing
    assert result.status == TaskResultStatus.SUCCESSFUL
    run = LinkCheckRun.objects.get()
    assert run.trigger == "admin" and not run.running and run.checked > 0
    assert server.url("/missing") in report and "A link check is queued" not in report


@pytest.mark.django_db
def test_a_check_already_running_is_not_started_again_and_shows_progress(
    client, editor, server, checked
):
    client.force_login(editor)
    LinkCheckRun.objects.create(
        started_at=timezone.now(), trigger="admin", total=40, checked=15, running=True
    )

    response = client.post(reverse("linkhealth_check_start"), follow=True)

    html = response.content.decode()
    assert "A link check is already running" in html
    assert "still running: 15 of 40 links checked" in html
    assert LinkCheckRun.objects.count() == 2


@pytest.mark.django_db
def test_a_run_that_died_mid_way_neither_shows_as_running_nor_blocks_the_next_check(
    client, editor, site_links
):
    # Its request or worker was killed: it stays marked running in the database.
    client.force_login(editor)
    dead = LinkCheckRun.objects.create(
        started_at=timezone.now() - datetime.timedelta(hours=1),
        trigger="admin",
        total=40,
        checked=15,
        running=True,
    )

    report = client.get(REPORT).content.decode()
    response = client.post(reverse("linkhealth_check_start"), follow=True)

    assert "stopped before it finished, after 15 of 40 links" in report
    assert "still running" not in report
    assert "A link check is already running" not in response.content.decode()
    assert LinkCheckRun.objects.exclude(pk=dead.pk).get().checked > 0


@pytest.mark.django_db(transaction=True)
def test_a_check_whose_worker_died_does_not_block_the_next_one(client, editor, site_links):
    client.force_login(editor)
    with override_settings(TASKS=DATABASE_QUEUE):
        client.post(reverse("linkhealth_check_start"))
        DBTaskResult.objects.update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - datetime.timedelta(hours=1),
        )

        response = client.post(reverse("linkhealth_check_start"), follow=True)

    assert "The link check is queued" in response.content.decode()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db
def test_a_click_while_another_is_being_queued_is_refused(client, editor, checked):
    from django.core.cache import cache

    from linkhealth.views import STARTING_KEY

    client.force_login(editor)
    cache.add(STARTING_KEY, 1, 30)  # another editor's click, between its look and its enqueue
    runs = LinkCheckRun.objects.count()

    response = client.post(reverse("linkhealth_check_start"), follow=True)
    cache.delete(STARTING_KEY)

    assert "A link check is already running" in response.content.decode()
    assert LinkCheckRun.objects.count() == runs

"""The link checker (linkhealth/checker.py): links found on live pages, each URL checked once
with a per-host limit, every kind of answer recorded. Requests go to tests/link_server.py on
127.0.0.1."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from linkhealth.checker import Checker, RunInProgress, collect_links, run_check
from linkhealth.models import LinkCheck, LinkCheckRun, LinkUse, Outcome
from tests import factories
from tests.link_server import LinkServer
from tests.linkhealth.conftest import PATHS, outcome, run


@pytest.mark.django_db
def test_each_answer_is_recorded(server, site_links):
    run()

    ok = outcome(server.url("/ok"))
    assert (ok.outcome, ok.status_code, ok.method) == (Outcome.OK, 200, "HEAD")
    assert ok.checked_at is not None and ok.response_ms is not None
    moved = outcome(server.url("/moved"))
    assert moved.outcome == Outcome.REDIRECT and moved.status_code == 200
    assert moved.final_url == server.url("/ok")
    assert moved.redirects == [{"status": 301, "url": server.url("/ok")}]
    twice = outcome(server.url("/twice"))
    assert [hop["status"] for hop in twice.redirects] == [302, 301]
    missing = outcome(server.url("/missing"))
    assert (missing.outcome, missing.status_code) == (Outcome.CLIENT_ERROR, 404)
    assert missing.method == "GET"  # HEAD said 404, GET confirmed it
    assert outcome(server.url("/error")).status_code == 500
    assert outcome(server.url("/error")).outcome == Outcome.SERVER_ERROR
    no_head = outcome(server.url("/no-head"))
    assert (no_head.outcome, no_head.method) == (Outcome.OK, "GET")
    slow = outcome(server.url("/slow"))
    assert slow.outcome == Outcome.TIMEOUT and "timed out after 0.5s" in slow.error
    refused = outcome(site_links["refused"])
    assert (refused.outcome, refused.error) == (Outcome.CONNECTION, "connection refused")
    loop = outcome(server.url("/loop"))
    assert loop.outcome == Outcome.TOO_MANY_REDIRECTS and len(loop.redirects) == 6


@pytest.mark.django_db
def test_every_request_stays_on_this_machine(server, site_links):
    checker = Checker(read_timeout=0.5)
    urls = [use.url for use in collect_links()]

    results = list(checker.check_all(urls))

    assert len(results) == len(set(urls)) == len(PATHS) + 1
    assert {host for _method, host, _path in server.requests} == {"127.0.0.1"}


@pytest.mark.django_db
def test_each_url_is_checked_once_however_often_it_is_used(server, site_links):
    run()

    heads = [r for r in server.requests if r[0] == "HEAD" and r[2] == "/ok"]
    # /ok is used by an entry and by the post, yet asked for once itself; the other two
    # requests end the redirects of /moved and /twice.
    assert len(heads) == 3
    assert outcome(server.url("/ok")).uses.count() == 2


@pytest.mark.parametrize("per_host", [2, 3])
def test_per_host_limit_is_respected(per_host):
    server = LinkServer(hold_for=per_host, hold_total=2 * per_host)
    try:
        hosts = ("127.0.0.1", "localhost")
        urls = [server.url(f"/hold/{n}", host) for host in hosts for n in range(2 * per_host)]
        checker = Checker(workers=8, per_host=per_host, read_timeout=5)

        results = list(checker.check_all(urls))
    finally:
        server.stop()

    assert {r.outcome for r in results} == {Outcome.OK} and len(results) == 4 * per_host
    assert server.max_in_flight == {"127.0.0.1": per_host, "localhost": per_host}
    # Both hosts were served at the same time: the limit is per host, not global.
    assert server.max_total == 2 * per_host


@pytest.mark.django_db
def test_links_are_found_in_every_kind_of_content(home, index):
    factories.make_compilation(
        home,
        [
            factories.section(
                "Caching",
                [factories.link_entry(1, url="https://example.org/entry")],
                anchor="caching",
                text="Start with [the guide](https://example.org/guide#part-2).",
            )
        ],
        intro="See [our own page](http://localhost/posts/) and [theirs](https://example.org/intro).",
    )
    body = [
        {"type": "markdown", "value": "## Setup\n\nRead [this](https://example.org/md)."},
        {"type": "rich_text", "value": '<p><a href="https://example.org/rich">rich</a></p>'},
        {
            "type": "note",
            "value": {"kind": "tip", "text": '<p><a href="https://example.org/note">n</a></p>'},
        },
        {
            "type": "quote",
            "value": {"quote": "Q", "attribution": "", "source_url": "https://example.org/quote"},
        },
        {
            "type": "links",
            "value": {
                "heading": "Further reading",
                "links": [{"url": "https://example.org/more", "title": "More", "source": ""}],
            },
        },
    ]
    post = factories.make_post(index, body=body)
    factories.make_post(
        index, live=False, body=[{"type": "markdown", "value": "[x](https://example.org/draft)"}]
    )

    found = {(use.url, use.anchor, use.kind) for use in collect_links()}

    assert found == {
        ("https://example.org/intro", "", "Introduction"),
        ("https://example.org/guide", "caching", "Section text"),
        ("https://example.org/entry", "caching", "Entry"),
        ("https://example.org/md", "setup", "Markdown"),
        ("https://example.org/rich", "setup", "Rich text"),
        ("https://example.org/note", "setup", "Note"),
        ("https://example.org/quote", "setup", "Quote source"),
        ("https://example.org/more", "further-reading", "Further reading"),
    }
    assert {use.page_id for use in collect_links() if use.kind == "Markdown"} == {post.pk}


@pytest.mark.django_db
def test_a_link_removed_from_every_page_leaves_the_report(server, site_links):
    run()
    post = site_links["post"]
    post.body = [{"type": "markdown", "value": "No links any more."}]
    factories.publish(post)
    compilation = site_links["compilation"]
    factories.publish_sections(compilation, [factories.section("Caching", [], anchor="caching")])

    run()

    assert not LinkCheck.objects.exists() and not LinkUse.objects.exists()


# --- Addresses inside the network, time limit, one run at a time --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",
        "http://10.0.0.1:{port}/ok",
        "http://192.168.1.1:{port}/ok",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/ok",
        "http://0.0.0.0:{port}/ok",
    ],
)
def test_addresses_inside_the_network_are_refused_by_default(url):
    server = LinkServer()
    try:
        with override_settings(LINKHEALTH_ALLOWED_NETWORKS=[]):
            result = Checker(connect_timeout=0.5).check(url.format(port=server.port))
    finally:
        server.stop()

    assert result.outcome == Outcome.CONNECTION
    assert result.error.startswith("refused:")
    assert server.requests == []


def test_allowed_networks_and_hosts_may_be_checked():
    server = LinkServer()
    try:
        by_network = Checker(allowed_networks=["127.0.0.0/8"]).check(server.url("/ok"))
        by_host = Checker(allowed_networks=["localhost"]).check(server.url("/ok", "localhost"))
    finally:
        server.stop()

    assert by_network.outcome == by_host.outcome == Outcome.OK


def test_a_mirror_named_for_the_run_is_allowed():
    server = LinkServer()
    try:
        checker = Checker(allowed_networks=[], mirror=f"http://127.0.0.1:{server.port}")
        result = checker.check("https://docs.djangoproject.com/ok")
    finally:
        server.stop()

    assert result.outcome == Outcome.OK


@pytest.mark.django_db
def test_a_run_stops_starting_checks_at_its_time_limit(server, site_links):
    with override_settings(LINKHEALTH_MAX_RUN_SECONDS=0):
        summary = run_check(Checker(read_timeout=0.5))

    assert summary.results == []
    assert summary.run.total == len(PATHS) + 1
    assert summary.run.running is None


@pytest.mark.django_db
def test_a_run_is_refused_while_another_runs(server, site_links):
    LinkCheckRun.objects.create(started_at=timezone.now(), trigger="admin", running=True)

    with pytest.raises(RunInProgress):
        run_check(Checker(read_timeout=0.5))

    assert LinkCheckRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_that_died_long_ago_does_not_block_the_next(server, site_links):
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    LinkCheckRun.objects.create(started_at=long_ago, trigger="admin", running=True)

    summary = run_check(Checker(read_timeout=0.5))

    assert summary.run.finished_at is not None
    assert not LinkCheckRun.objects.filter(running=True).exists()


# SQLite's in-memory test database locks whole tables between threads instead of waiting, so the
# truly concurrent start runs on PostgreSQL (CI runs the suite there too).
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_runs_started_at_once_run_one_at_a_time(server, site_links):
    outcomes = []
    barrier = threading.Barrier(2)

    def start():
        barrier.wait()
        try:
            run_check(Checker(read_timeout=0.5))
            outcomes.append("ran")
        except RunInProgress:
            outcomes.append("refused")
        except Exception as error:  # any other error fails the test, with its name
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["ran", "refused"]
    assert LinkCheckRun.objects.count() == 1
    assert not LinkCheckRun.objects.filter(running=True).exists()

"""`manage.py check_links` (linkhealth/management/commands/check_links.py): its options, its
summary of broken links and its progress. Requests go to tests/link_server.py on 127.0.0.1, or
to the mirror of the seed's links (tests/link_mirror.py)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linkhealth.models import LinkCheck, LinkCheckRun, LinkUse, Outcome
from tests import factories
from tests.linkhealth.conftest import outcome, run


@pytest.mark.django_db
def test_summary_lists_each_broken_url_with_the_pages_using_it(server, site_links):
    output = run()

    assert "Checked 9 of 9 URLs" in output
    assert "OK: 2" in output and "Redirected: 2" in output
    assert "Client error (4xx): 1" in output and "Timed out: 1" in output
    assert "5 broken:" in output
    assert (
        f"{server.url('/missing')}\n    404\n    used on: Django at Scale in Production" in output
    )
    assert "#caching" in output
    run_row = LinkCheckRun.objects.get()
    assert (run_row.checked, run_row.broken) == (9, 5)
    assert run_row.counts[Outcome.CONNECTION] == 1


@pytest.mark.django_db
def test_dry_run_sends_nothing_and_stores_nothing(server, site_links):
    output = run("--dry-run")

    assert "9 would be checked" in output and server.url("/slow") in output
    assert server.requests == []
    assert not LinkCheck.objects.exists() and not LinkCheckRun.objects.exists()


@pytest.mark.django_db
def test_older_than_skips_urls_checked_recently(server, site_links):
    run()
    LinkCheck.objects.filter(url=server.url("/missing")).update(
        checked_at=timezone.now() - timezone.timedelta(days=10)
    )
    server.requests.clear()

    output = run("--older-than", "7")

    assert "Checked 1 of 9 URLs" in output
    assert {path for _m, _h, path in server.requests} == {"/missing"}


@pytest.mark.django_db
def test_page_option_checks_only_that_page(server, site_links):
    output = run("--page", str(site_links["post"].pk))

    assert "Checked 1 of 1 URLs" in output
    assert list(LinkUse.objects.values_list("page_id", flat=True)) == [site_links["post"].pk]


@pytest.mark.django_db
def test_unknown_page_is_a_clear_error(site_links):
    with pytest.raises(CommandError, match="No live page with the id 999999"):
        run("--page", "999999")


@pytest.mark.django_db
def test_mirror_option_sends_every_request_to_the_local_server(home, server):
    entries = [
        factories.link_entry(1, url="https://docs.example.org/ok"),
        factories.link_entry(2, url="https://docs.example.org/missing"),
        factories.link_entry(3, url="https://other.example.net/moved"),
    ]
    factories.make_compilation(home, [factories.section("Caching", entries)])

    run("--mirror", f"http://127.0.0.1:{server.port}")

    assert outcome("https://docs.example.org/ok").outcome == Outcome.OK
    assert outcome("https://docs.example.org/missing").status_code == 404
    moved = outcome("https://other.example.net/moved")
    assert moved.final_url == "https://other.example.net/ok"  # the redirect kept its host
    assert {host for _m, host, _p in server.requests} == {"docs.example.org", "other.example.net"}


def test_the_mirror_knows_the_seed_urls():
    from tests.link_mirror import seed_urls

    urls = seed_urls()
    assert "https://docs.djangoproject.com/en/5.2/topics/cache/" in urls
    assert all(url.startswith(("http://", "https://")) and "#" not in url for url in urls)


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise(server, site_links):
    terminal = Terminal()
    call_command("check_links", "--read-timeout", "0.5", stdout=terminal)
    plain = run("--older-than", "0")

    assert "\r[" + "#" * 30 + "] 9/9" in terminal.getvalue()
    assert "\r" not in plain and "  [9/9] " in plain

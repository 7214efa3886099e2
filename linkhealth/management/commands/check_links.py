"""Check every outside link on the live site once and store the results (linkhealth/checker.py)."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from linkhealth.checker import Checker, RunInProgress, pages_using, run_check
from linkhealth.models import LinkCheck, Outcome

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Find every outside URL that live pages link to, check each once (HEAD, then GET; "
        "a few redirects followed) with bounded concurrency and a per-host limit, and store "
        "the results for the admin's link report."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            metavar="DAYS",
            help="Only check URLs not checked in the last DAYS days.",
        )
        parser.add_argument("--page", type=int, metavar="ID", help="Only the links of this page.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be checked; send no request and write nothing.",
        )
        parser.add_argument("--workers", type=int, default=8, help="Checks in flight at once.")
        parser.add_argument("--per-host", type=int, default=2, help="Checks per host at once.")
        parser.add_argument(
            "--connect-timeout", type=float, default=3.0, help="Seconds to open a connection."
        )
        parser.add_argument(
            "--read-timeout", type=float, default=10.0, help="Seconds to wait for a response."
        )
        parser.add_argument(
            "--max-redirects", type=int, default=5, help="Redirects followed per URL."
        )
        parser.add_argument(
            "--mirror",
            metavar="URL",
            help="Send every request to this local HTTP server instead (offline runs, tests).",
        )

    def handle(self, *args, **options):
        page_id = options["page"]
        if page_id is not None and not Page.objects.live().filter(pk=page_id).exists():
            raise CommandError(f"No live page with the id {page_id}.")
        if options["older_than"] is not None and options["older_than"] < 0:
            raise CommandError("--older-than takes a number of days, 0 or more.")
        checker = Checker(
            workers=options["workers"],
            per_host=options["per_host"],
            connect_timeout=options["connect_timeout"],
            read_timeout=options["read_timeout"],
            max_redirects=options["max_redirects"],
            mirror=options["mirror"],
        )
        self.tty = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        self.last_shown = -1
        try:
            summary = run_check(
                checker,
                older_than_days=options["older_than"],
                page_id=page_id,
                dry_run=options["dry_run"],
                on_start=self.start,
                on_result=self.progress,
            )
        except RunInProgress:
            raise CommandError("A link check is already running; try again when it ends.") from None
        if options["dry_run"]:
            self.dry_run_report(summary)
        else:
            self.report(summary)

    def start(self, total):
        self.stdout.write(f"Checking {total} URLs…")

    def progress(self, result, done, total):
        """A bar redrawn in place on a terminal; a line per tenth of the work otherwise."""
        if self.tty:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            if done == total:
                self.stdout.write("")
            self.stdout.flush()
            return
        step = max(1, total // 10)
        if done == total or done // step != self.last_shown:
            self.last_shown = done // step
            self.stdout.write(f"  [{done}/{total}] {result.outcome}: {result.url}")

    def dry_run_report(self, summary):
        self.stdout.write(
            f"Dry run: {summary.links} URLs in {summary.uses} places on live pages; "
            f"{len(summary.to_check)} would be checked. Nothing was sent or stored."
        )
        for url in summary.to_check:
            self.stdout.write(f"  {url}")

    def report(self, summary):
        labels = dict(Outcome.choices)
        counts = summary.counts
        self.stdout.write(
            f"Checked {len(summary.results)} of {summary.links} URLs "
            f"({summary.uses} places on live pages) in {summary.seconds:.1f}s."
        )
        for outcome, label in labels.items():
            if counts.get(outcome):
                self.stdout.write(f"  {label}: {counts[outcome]}")
        broken = summary.broken
        if not broken:
            self.stdout.write(self.style.SUCCESS("No broken links."))
            return
        self.stdout.write(self.style.WARNING(f"{len(broken)} broken:"))
        links = list(LinkCheck.objects.filter(url__in=[r.url for r in broken]).order_by("url"))
        uses = pages_using(links)
        for link in links:
            self.stdout.write(f"  {link.url}\n    {link.result}")
            for use in uses.get(link.pk, []):
                where = f"#{use.anchor}" if use.anchor else ""
                self.stdout.write(f"    used on: {use.page.title} (id {use.page_id}){where}")

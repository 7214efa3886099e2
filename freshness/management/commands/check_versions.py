from django.core.management.base import BaseCommand

from freshness.index import default_max_age, refresh, report_rows


class Command(BaseCommand):
    help = (
        "Fetch the newest release of every package the applies-to labels name (from "
        "FRESHNESS_INDEX_URL) and list the labels that are behind by a major or minor release."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Fetch again even when the cache is fresh."
        )

    def handle(self, *args, force=False, **options):
        fetched, failed = refresh(max_age=None if force else default_max_age())
        self.stdout.write(f"Fetched {fetched} package(s); {failed} failed.")
        behind = [row for row in report_rows() if row.behind]
        for row in behind:
            self.stdout.write(
                f"{row.page.title} / {row.where}: {row.label} {row.version} "
                f"(newest {row.newest}, behind a {row.behind} release)"
            )
        self.stdout.write(f"{len(behind)} label(s) behind.")

"""Restore the database from a backup made by `manage.py backup`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backups.database import BackupError, backup, check_backup, latest, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup (the newest in var/backups/ or $BACKUP_DIR "
        "unless a file is given). The current database is backed up first, so a restore can "
        "itself be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The backup file (default: the newest).")
        parser.add_argument("--folder", help="Where to look for the newest backup.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, path=None, folder=None, interactive=True, **options):
        try:
            path = path or latest(folder)
            if path is None:
                raise CommandError("No backup found; make one with `make backup`.")
            check_backup(path)  # before anything is asked or written
            database = connection.settings_dict["NAME"]
            if interactive:
                answer = input(f"Replace everything in {database} with {path}? Type 'yes': ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing changed.")
            safety = backup(folder, label="before-restore")
            self.stdout.write(f"Current database saved to {safety}")
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {database} from {path}"))

"""Back up the database to var/backups/ (or --output, or $BACKUP_DIR)."""

from django.core.management.base import BaseCommand, CommandError

from backups.database import BackupError, backup, media_archive, upload


class Command(BaseCommand):
    help = (
        "Back up the whole database (pg_dump on PostgreSQL, a consistent copy on SQLite) into "
        "var/backups/, $BACKUP_DIR or --output. Prints the file written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Folder for the backup file.")

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}"))
        if media_archive(path).is_file():
            self.stdout.write(f"Uploads archived in {media_archive(path)}")
        for file in (path, media_archive(path)):
            if file.is_file() and (name := upload(file)):
                self.stdout.write(f"Uploaded {file.name} to the backup bucket as {name}")
        return str(path)

"""Database backups: pg_dump/pg_restore on PostgreSQL, a page-by-page copy on SQLite.

When uploads are kept on local disk (FileSystemStorage), a backup also archives MEDIA_ROOT next to
the database file (backup-<time>.media.tar.gz) and a restore puts those files back. Uploads in
object storage are left to that storage's own versioning and backups. With BACKUP_BUCKET set,
`manage.py backup` also uploads both files to that bucket (django-storages S3).

Used by `manage.py backup` and `manage.py restore` (`make backup`, `make restore`). Both work on
the database Django is configured with (DATABASE_URL), so they need no separate configuration.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

DEFAULT_DIR = Path(settings.BASE_DIR) / "var" / "backups"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    pass


def backup_dir():
    return Path(os.environ.get("BACKUP_DIR", DEFAULT_DIR))


def vendor():
    if connection.vendor not in SUFFIXES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def backup(folder=None, label="backup"):
    """Write a backup of the whole database into `folder`; returns its path."""
    folder = Path(folder or backup_dir())
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{label}-{stamp}{SUFFIXES[vendor()]}"
    if vendor() == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}")
    else:
        if connection.in_atomic_block:
            # SQLite's online backup waits, without end, for a lock this transaction holds.
            raise BackupError("Back up SQLite outside a transaction.")
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # SQLite's online backup: a consistent copy even while the site is writing.
            connection.connection.backup(target)
        finally:
            target.close()
    media = media_root()
    if media is not None and media.is_dir() and any(media.iterdir()):
        with tarfile.open(media_archive(path), "w:gz") as archive:
            archive.add(media, arcname=".")
    return path


def upload(path):
    """Copy a backup file to the "backups" storage (BACKUP_BUCKET); its name there, or None."""
    if "backups" not in settings.STORAGES:
        return None
    path = Path(path)
    with path.open("rb") as handle:
        return storages["backups"].save(path.name, File(handle))


def media_root():
    """The local folder that holds uploads, or None when they are stored elsewhere."""
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def media_archive(path):
    """The uploads archive that belongs with the database backup at `path`."""
    path = Path(path)
    return path.with_name(path.name.removesuffix(path.suffix) + ".media.tar.gz")


def latest(folder=None):
    """The newest backup in `folder` for this kind of database, or None.

    The safety copies `restore` makes (before-restore-*) are not candidates: restoring "the
    latest" twice in a row must not undo the first restore.
    """
    folder = Path(folder or backup_dir())
    found = sorted(folder.glob(f"backup-*{SUFFIXES[vendor()]}"))
    return found[-1] if found else None


def check_backup(path):
    """Refuse a path that is not a backup of this kind of database; returns it as a Path."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if path.suffix != SUFFIXES[vendor()]:
        raise BackupError(
            f"{path.name} is not a {vendor()} backup (expected {SUFFIXES[vendor()]})."
        )
    return path


def restore(path):
    """Replace everything in the database with the backup at `path`."""
    path = check_backup(path)
    if vendor() == "postgresql":
        connection.close()
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(path),
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()
    media, archive = media_root(), media_archive(path)
    if media is not None and archive.is_file():
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as files:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            files.extractall(media, filter="data")


def _run_pg(program, *args):
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} was not found; install the PostgreSQL client tools.")
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # in the environment, never on the command line
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [executable, *args, f"--dbname={db['NAME']}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")

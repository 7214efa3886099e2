"""Backups (backups/database.py), through `manage.py backup` and `restore`: a round trip brings
back every page, every revision and the uploads.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from backups.database import latest, media_archive
from blog.models import TopicPostPage
from tests import factories


def snapshot():
    pages = sorted(Page.objects.values_list("pk", "title", "live", "url_path"))
    revisions = sorted(Revision.objects.values_list("pk", "object_id", "content"), key=str)
    return pages, revisions


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_page_and_revision(client, tmp_path):
    home = factories.make_home()
    index = factories.make_index(home)
    posts = [factories.make_post(index, title=f"Original {n}") for n in range(3)]
    for post in posts:
        post.title = f"{post.title} (edited)"
        post.save_revision().publish()
    draft = factories.make_post(index, live=False, title="A draft")
    before = snapshot()
    assert len(before[1]) >= 9

    out = io.StringIO()
    path = call_command("backup", output=str(tmp_path), stdout=out)
    assert f"Backed up to {path}" in out.getvalue()

    # Lose work: delete a post, unpublish another, change a third, delete a draft.
    posts[0].delete()
    posts[1].unpublish()
    posts[2].title = "Vandalised"
    posts[2].save_revision().publish()
    draft.delete()
    assert snapshot() != before

    call_command("restore", path, folder=str(tmp_path), interactive=False, stdout=io.StringIO())

    assert snapshot() == before
    restored = TopicPostPage.objects.get(pk=posts[0].pk)
    assert restored.title == "Original 0 (edited)"
    assert client.get(restored.url).status_code == 200
    assert client.get(posts[2].url).content.decode().count("Vandalised") == 0
    # The state just before the restore was saved too, so the restore itself can be undone.
    assert len(list(tmp_path.glob("before-restore-*"))) == 1
    assert latest(tmp_path) == tmp_path / path.rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_restore_without_a_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup found"):
        call_command("restore", folder=str(tmp_path), interactive=False)


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")

    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(bogus), interactive=False)


@pytest.mark.django_db(transaction=True)
def test_uploads_on_local_disk_come_back_with_the_database(settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    saved = default_storage.save("original_images/diagram.png", ContentFile(b"png bytes"))
    backups = tmp_path / "backups"
    path = call_command("backup", output=str(backups), stdout=io.StringIO())
    assert media_archive(path).is_file()

    default_storage.delete(saved)
    call_command("restore", path, folder=str(backups), interactive=False, stdout=io.StringIO())

    assert (media / saved).read_bytes() == b"png bytes"

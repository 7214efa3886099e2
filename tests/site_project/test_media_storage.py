"""Media and backups on S3 for real: with AWS_STORAGE_BUCKET_NAME set, uploads go through
django-storages to an S3-compatible server and come back from it; with BACKUP_BUCKET set,
`manage.py backup` uploads each backup there. The server is moto in server mode on loopback;
the site runs in its own process so that its settings read the environment as in production.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
S3_PORT = 8650
ENDPOINT = f"http://127.0.0.1:{S3_PORT}"
BUCKET = "front-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

SAVE_TWICE = """
import json, django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import storages
default_storage = storages["default"]
first = default_storage.save("images/photo.txt", ContentFile(b"first"))
second = default_storage.save("images/photo.txt", ContentFile(b"second"))
print(json.dumps({
    "backend": type(default_storage).__name__,
    "names": [first, second],
    "read": default_storage.open(first).read().decode(),
    "url": default_storage.url(first),
}))
"""


def s3_client():
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def s3_server():
    moto = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(moto).exists():
        pytest.skip("moto[server] is not installed")
    server = subprocess.Popen(  # noqa: S603
        [moto, "-H", "127.0.0.1", "-p", str(S3_PORT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                s3_client().create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield s3_client()
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_site(code):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **CREDENTIALS,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.dev",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": ENDPOINT,
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_upload_is_stored_in_the_bucket_and_read_back(s3_server):
    result = run_site(SAVE_TWICE)
    assert result["backend"] == "S3Storage"
    assert result["read"] == "first"
    stored = s3_server.get_object(Bucket=BUCKET, Key=result["names"][0])["Body"].read()
    assert stored == b"first"


def test_uploads_with_the_same_name_never_replace_each_other(s3_server):
    result = run_site(SAVE_TWICE)
    first, second = result["names"]
    assert first != second
    assert s3_server.get_object(Bucket=BUCKET, Key=second)["Body"].read() == b"second"


def test_media_urls_are_signed_when_no_cdn_domain_serves_them(s3_server):
    result = run_site(SAVE_TWICE)
    assert result["url"].startswith(f"{ENDPOINT}/{BUCKET}/images/")
    assert "Signature" in result["url"]


def test_a_backup_is_uploaded_to_the_backup_bucket(s3_server, tmp_path):
    s3_server.create_bucket(Bucket="front-backups")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **CREDENTIALS,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "BACKUP_BUCKET": "front-backups",
        "AWS_S3_ENDPOINT_URL": ENDPOINT,
        "AWS_S3_REGION_NAME": "us-east-1",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "backup", "--output", str(tmp_path / "backups")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    local = next((tmp_path / "backups").glob("backup-*.sqlite3"))
    listed = s3_server.list_objects_v2(Bucket="front-backups", Prefix="backups/")["Contents"]
    assert [item["Key"] for item in listed] == [f"backups/{local.name}"]
    stored = s3_server.get_object(Bucket="front-backups", Key=f"backups/{local.name}")
    assert stored["Body"].read() == local.read_bytes()
    assert "Uploaded" in out

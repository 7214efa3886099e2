"""Run Python in a fresh interpreter, for tests of what is read once at import (settings,
gunicorn.conf.py) under an environment of their own, and of how production answers."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args, env, drop=(), timeout=60):
    """`python args...` in the project root with `env` over ours, minus the `drop` variables."""
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def output(code, env, drop=(), timeout=60):
    """What `code` prints; the test fails with the child's stderr if it fails."""
    result = run(["-c", code], env, drop, timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def inherited_secrets():
    """Our own SECRET_* and ALLOWED_* variables, kept from the child."""
    return [k for k in os.environ if k.startswith(("SECRET", "ALLOWED"))]


def run_production(code, tmp_path, **env):
    """Run `code` with production settings (static files from the finders, no collectstatic)."""
    (tmp_path / "prod_for_test.py").write_text(
        "from site_project.settings.production import *  # noqa\n"
        "STORAGES = {**STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
    )
    own = {
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "prod_for_test",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        "WAGTAILADMIN_BASE_URL": "https://example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    result = run(["-c", script], own, drop=inherited_secrets(), timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])

"""The image's roles (deploy/entrypoint.sh), run with stand-ins for python and gunicorn that
record how they were called."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


@pytest.fixture
def run_role(tmp_path):
    calls = tmp_path / "calls"
    for tool in ("python", "gunicorn"):
        stand_in = tmp_path / tool
        # `manage.py help db_worker` fails unless HAS_DB_WORKER is set; the link check fails so
        # the worker's loop is seen to carry on.
        stand_in.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $*" >> {calls}\n'
            'case "$*" in\n'
            '  *"help db_worker"*) [ -n "${HAS_DB_WORKER:-}" ] ;;\n'
            "  *check_links*) exit 1 ;;\n"
            "esac\n"
        )
        stand_in.chmod(0o755)

    def run(*args, timeout=10, **environment):
        env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", **environment}
        result = subprocess.run(  # noqa: S603
            [str(ENTRYPOINT), *args], env=env, cwd=ROOT, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        return result, calls.read_text().splitlines() if calls.exists() else []

    return run


def test_web_is_the_default_and_runs_gunicorn_with_its_config(run_role):
    result, calls = run_role()

    assert result.returncode == 0
    assert calls == ["gunicorn --config gunicorn.conf.py site_project.wsgi:application"]


def test_migrate_and_seed_are_one_off_commands(run_role):
    run_role("migrate")
    _, calls = run_role("seed")

    assert calls == [
        "python manage.py migrate --noinput",
        "python manage.py load_compilation --if-empty",
    ]


def test_worker_runs_the_task_queue_when_one_is_configured(run_role):
    _, calls = run_role("worker", HAS_DB_WORKER="1")

    assert calls[-1] == "python manage.py db_worker"


def test_worker_without_a_task_queue_checks_links_periodically_and_survives_failures(
    run_role, tmp_path
):
    with pytest.raises(subprocess.TimeoutExpired):
        run_role("worker", LINK_CHECK_INTERVAL="0.2", timeout=2)

    calls = (tmp_path / "calls").read_text().splitlines()
    checks = [call for call in calls if "check_links" in call]
    assert len(checks) >= 2
    assert checks[0] == "python manage.py check_links --older-than 1"


def test_any_other_command_runs_as_given(run_role):
    result, _ = run_role("echo", "hello")

    assert result.stdout == "hello\n"

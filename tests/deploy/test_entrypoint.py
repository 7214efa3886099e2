"""The image's roles (deploy/entrypoint.sh), run with stand-ins for python and gunicorn that
record how they were called."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


@pytest.fixture
def stand_ins(tmp_path):
    """`python` and `gunicorn` that record their calls. The stand-in task worker records its pid
    and runs until stopped, unless WORKER_EXITS is set; the link check always fails, so the
    worker role is seen to carry on."""
    calls = tmp_path / "calls"
    for tool in ("python", "gunicorn"):
        stand_in = tmp_path / tool
        stand_in.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $*" >> {calls}\n'
            'case "$*" in\n'
            '  *db_worker*) [ -n "${WORKER_EXITS:-}" ] && exit 3\n'
            f"    echo $$ > {tmp_path / 'worker.pid'}; exec sleep 30 ;;\n"
            "  *check_links*) exit 1 ;;\n"
            "esac\n"
        )
        stand_in.chmod(0o755)
    return tmp_path


def role_env(stand_ins, environment):
    return {**os.environ, "PATH": f"{stand_ins}:{os.environ['PATH']}", **environment}


def recorded(stand_ins):
    calls = stand_ins / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


@pytest.fixture
def run_role(stand_ins):
    def run(*args, timeout=10, **environment):
        result = subprocess.run(  # noqa: S603
            [str(ENTRYPOINT), *args], env=role_env(stand_ins, environment), cwd=ROOT,
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        return result, recorded(stand_ins)

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


def test_worker_runs_the_task_queue_and_the_periodic_link_check_until_stopped(stand_ins):
    role = subprocess.Popen(  # noqa: S603
        [str(ENTRYPOINT), "worker"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=role_env(stand_ins, {"LINK_CHECK_INTERVAL": "0.2"}),
    )  # fmt: skip
    time.sleep(1.5)
    role.send_signal(signal.SIGTERM)

    assert role.wait(timeout=5) == 0
    calls = recorded(stand_ins)
    assert calls[0] == "python manage.py db_worker --no-reload"
    checks = [call for call in calls if "check_links" in call]
    assert len(checks) >= 2  # a failed check does not stop the next one
    assert set(checks) == {"python manage.py check_links --older-than 1"}
    assert "python manage.py prune_db_task_results --min-age-days 14 -v0" in calls
    worker = int((stand_ins / "worker.pid").read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # stopped with the role, not left behind


def test_worker_stops_when_its_task_queue_stops(run_role):
    result, calls = run_role("worker", WORKER_EXITS="1", LINK_CHECK_INTERVAL="30")

    assert result.returncode == 1
    assert "the task worker exited" in result.stderr
    assert calls == ["python manage.py db_worker --no-reload"]


def test_worker_with_the_periodic_runs_off_is_the_task_queue_alone(run_role):
    result, calls = run_role(
        "worker", WORKER_EXITS="1", LINK_CHECK_INTERVAL="0", NEWSLETTER_INTERVAL="0"
    )

    assert result.returncode == 3
    assert calls == ["python manage.py db_worker --no-reload"]


def test_worker_sends_the_newsletter_on_its_own_interval_until_stopped(stand_ins):
    role = subprocess.Popen(  # noqa: S603
        [str(ENTRYPOINT), "worker"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=role_env(stand_ins, {"LINK_CHECK_INTERVAL": "0", "NEWSLETTER_INTERVAL": "0.2"}),
    )  # fmt: skip
    time.sleep(1.5)
    role.send_signal(signal.SIGTERM)

    assert role.wait(timeout=5) == 0
    calls = recorded(stand_ins)
    sends = [call for call in calls if "send_newsletter" in call]
    assert len(sends) >= 2
    assert not any("check_links" in call for call in calls)
    time.sleep(0.5)
    count = len(recorded(stand_ins))
    time.sleep(0.5)
    assert len(recorded(stand_ins)) == count  # the loop stopped with the role


def test_any_other_command_runs_as_given(run_role):
    result, _ = run_role("echo", "hello")

    assert result.stdout == "hello\n"

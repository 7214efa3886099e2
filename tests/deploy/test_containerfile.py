"""What the Containerfile promises without building it (`make image-test` checks the built image):
a non-root user, a health check on /healthz, no secret kept, the base as a build argument."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Instructions continued over several lines read as one.
CONTAINERFILE = re.sub(r"\\\n\s*", " ", (ROOT / "Containerfile").read_text())
RUNTIME_STAGE = CONTAINERFILE.split("\nFROM ")[-1]


def instructions(name, text=CONTAINERFILE):
    return re.findall(rf"^{name} (.+)$", text, flags=re.MULTILINE)


def test_the_base_is_a_build_argument_defaulting_to_the_slim_python_image():
    assert "BASE=docker.io/library/python:3.11-slim-bookworm" in instructions("ARG")
    assert all(line.startswith("${BASE}") for line in instructions("FROM"))


def test_the_runtime_stage_runs_as_a_non_root_user():
    users = instructions("USER", RUNTIME_STAGE)

    assert users
    assert users[-1] not in ("root", "0")


def test_the_runtime_stage_checks_its_health_on_healthz_and_exposes_gunicorns_port():
    assert "/healthz" in "".join(instructions("HEALTHCHECK", RUNTIME_STAGE))
    assert instructions("EXPOSE", RUNTIME_STAGE) == ["8000"]


def test_no_secret_is_kept_in_the_image_environment():
    environment = " ".join(instructions("ENV"))

    assert "SECRET_KEY" not in environment
    assert "DATABASE_URL" not in environment


def test_the_runtime_stage_uses_production_settings():
    assert "DJANGO_SETTINGS_MODULE=site_project.settings.production" in RUNTIME_STAGE


def test_the_build_context_leaves_out_local_state_and_the_virtualenv():
    ignored = (ROOT / ".containerignore").read_text().split()

    assert {".venv", "var", ".git", ".env"} <= set(ignored)

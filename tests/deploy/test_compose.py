"""compose.yaml as podman-compose reads it: the services, their start order, the volumes, and
the variables a user must set. (`make image-test` also runs its web and worker.)"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# The test group's podman-compose, beside this Python; else one on PATH.
PODMAN_COMPOSE = str(Path(sys.executable).parent / "podman-compose")
if not Path(PODMAN_COMPOSE).exists():
    PODMAN_COMPOSE = shutil.which("podman-compose") or PODMAN_COMPOSE

# podman-compose asks podman for its version first. Without podman (a developer's machine) these
# tests skip; CI installs it (.ci/run), and there they must run.
pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not (Path(PODMAN_COMPOSE).exists() and shutil.which("podman")),
    reason="needs podman and the test group's podman-compose (CI installs both)",
)


def compose_config(**environment):
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY",)}
    env.update(environment)
    return subprocess.run(  # noqa: S603
        [PODMAN_COMPOSE, "--file", str(ROOT / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture(scope="module")
def config():
    result = compose_config(SECRET_KEY="a-key-for-this-test", POSTGRES_PASSWORD="a-password")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_runs_the_site_with_its_services(config):
    assert set(config["services"]) == {"db", "redis", "migrate", "web", "worker", "nginx"}


def test_web_and_worker_run_the_same_image_in_their_roles(config):
    web, worker = config["services"]["web"], config["services"]["worker"]

    assert web["image"] == worker["image"] == "localhost/django-at-scale:latest"
    assert web["command"] == ["web"]
    assert worker["command"] == ["worker"]


def test_web_and_worker_start_after_the_migrations_and_healthy_services(config):
    for name in ("web", "worker"):
        depends_on = config["services"][name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["db"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
    assert config["services"]["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_database_and_redis_have_health_checks(config):
    assert "pg_isready" in config["services"]["db"]["healthcheck"]["test"]
    assert "ping" in config["services"]["redis"]["healthcheck"]["test"]


def test_app_containers_have_a_read_only_root_and_the_media_volume(config):
    for name in ("migrate", "web", "worker"):
        service = config["services"][name]
        assert service["read_only"] is True
        assert "media:/app/var/media" in service["volumes"]
    assert set(config["volumes"]) == {"pgdata", "media", "static"}


def test_nginx_uses_the_cluster_config_and_serves_static_and_media_read_only(config):
    nginx = config["services"]["nginx"]
    volumes = nginx["volumes"]

    assert any(volume.endswith("deploy/nginx.conf:/etc/nginx/nginx.conf:ro") for volume in volumes)
    assert any(volume.endswith("upstream.conf:/etc/nginx/upstream.conf:ro") for volume in volumes)
    assert "static:/etc/nginx/static:ro" in volumes
    assert "media:/etc/nginx/media:ro" in volumes
    assert nginx["command"][-2:] == ["-c", "/etc/nginx/nginx.conf"]
    assert "static:/app/var/staticfiles" in config["services"]["web"]["volumes"]


def test_compose_refuses_to_start_without_a_secret_key():
    result = compose_config(POSTGRES_PASSWORD="a-password")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

"""What the benchmark and the fault drill share: the bench database, gunicorn, wrk, loopback HTTP.

Everything runs on 127.0.0.1 only. Ports come from BENCH_PORT (default 8301; the floor uses the
next one). The database is BENCH_DATABASE_URL (default the local wt_production_bench), seeded
with the compilation; Redis is BENCH_REDIS_URL (default database 1 of the local server).
"""

import datetime
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
LOGS = ROOT / "var" / "bench"

SITE_PORT = int(os.environ.get("BENCH_PORT", "8301"))
FLOOR_PORT = SITE_PORT + 1
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_production_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
HTTPS_HEADERS = {"X-Forwarded-Proto": "https"}  # as the load balancer sends; gunicorn trusts it
BYPASS_HEADERS = {**HTTPS_HEADERS, "Cookie": "csrftoken=" + "b" * 32}  # skips the page cache


def site_env(redis):
    """Production settings on the bench database, with or without Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings.production",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1",
        DATABASE_URL=DATABASE_URL,
        GUNICORN_ACCESS_LOG=os.environ.get("BENCH_ACCESS_LOG", "-"),
        CONTENT_VERSION_FILE=str(LOGS / "content-version"),
        # wrk is one client address sending thousands of requests a second: the per-client
        # limits that protect the site from one visitor would measure only themselves.
        SEARCH_REQUESTS_PER_MINUTE="0",
        SUGGEST_REQUESTS_PER_MINUTE="0",
        PAGE_CACHE_STORES_PER_CLIENT="0",
    )
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database():
    """Create the bench database if needed, migrate it, seed it, collect static files."""
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    psql = ["psql", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"]
    exists = subprocess.run(
        [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    env = site_env(redis=False)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_compilation", "--if-empty", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


class Server:
    """A gunicorn with gunicorn.conf.py on 127.0.0.1:port, logging to var/bench/."""

    def __init__(self, app, port, env, name):
        self.app, self.port, self.env, self.name = app, port, env, name
        self.process = None

    def start(self, ready_path="/healthz"):
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "--config",
                "gunicorn.conf.py",
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                # Its own control socket: gunicorn's default is one per user, shared by every
                # gunicorn on the machine.
                "--control-socket",
                str(LOGS / f"{self.name}.ctl"),
            ],
            cwd=ROOT,
            env={**self.env, "HOST": "127.0.0.1", "PORT": str(self.port)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {LOGS / (self.name + '.log')}")
            try:
                if get(self.port, ready_path, HTTPS_HEADERS)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()  # nothing is left behind
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def get(port, path, headers=None, method="GET", timeout=5):
    """(status, headers dict, body) of one request on loopback."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(port, path, headers, seconds, connections=16, threads=2, script=None):
    """Run wrk against 127.0.0.1:port/path; requests per second, p50/p99 in ms, errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does it)")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "raw": out,
    }


PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"


def write_section(name, heading, script, text):
    """Write `text` as the section `name` of docs/PERFORMANCE.md, under `heading`, saying which
    script wrote it, when, and the machine's load."""
    load = os.getloadavg()
    splice_section(
        "\n".join(
            [
                f"<!-- {name}:start -->",
                f"## {heading}",
                "",
                f"Written by `{script}` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} "
                f"UTC; load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.",
                "",
                text,
                f"<!-- {name}:end -->",
            ]
        )
    )


def splice_section(section):
    """Put `section` (from <!-- name:start --> to <!-- name:end -->) into docs/PERFORMANCE.md in
    place of the section of that name, or at the end; the rest of the page stays as it is (each
    benchmark owns its section; bench/run.py keeps them all when it rewrites the page)."""
    name = re.match(r"<!-- ([a-z-]+):start -->", section).group(1)
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    PERFORMANCE.parent.mkdir(exist_ok=True)
    PERFORMANCE.write_text(text)

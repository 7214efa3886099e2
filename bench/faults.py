"""`make faults`: the site keeps answering through load and outages (loopback only, bounded).

1. 60 s at 64 connections (wrk, a mix of pages, searches and a static file): zero failures.
2. PostgreSQL restarted during load: the site answers again within 5 s of the database's
   return, without restarting gunicorn.
3. Redis stopped during load, then started again: no 5xx.

It restarts the machine's local PostgreSQL and Redis once each, briefly (other processes using
them see the same blips), and starts them again at once. Results go to var/bench/faults.json
and the "Fault drill" section of docs/PERFORMANCE.md.

    .venv/bin/python bench/faults.py [--load-seconds 60]
"""

import argparse
import collections
import datetime
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BYPASS_HEADERS,
    HTTPS_HEADERS,
    LOGS,
    PERFORMANCE,
    ROOT,
    SITE_PORT,
    Server,
    get,
    prepare_database,
    site_env,
    splice_section,
    wrk,
)

PORT = SITE_PORT + 10
FAULTS_START, FAULTS_END = "<!-- faults:start -->", "<!-- faults:end -->"
PG_VERSION = os.environ.get("PG_VERSION") or sorted(os.listdir("/etc/postgresql"))[-1]
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]

MIX_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


class Load:
    """Threads that request `targets` in a loop and record (time, label, status or error)."""

    def __init__(self, targets, threads=16):
        self.targets, self.threads = targets, threads
        self.records, self.lock = [], threading.Lock()
        self.stopping = threading.Event()
        self.workers = []

    def run(self, index):
        n = index
        while not self.stopping.is_set():
            label, path, headers = self.targets[n % len(self.targets)]
            n += 1
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = response.status
                connection.close()
            except OSError as error:
                outcome = type(error).__name__
                time.sleep(0.05)
            with self.lock:
                self.records.append((started, time.monotonic(), label, outcome))

    def __enter__(self):
        for index in range(self.threads):
            worker = threading.Thread(target=self.run, args=(index,), daemon=True)
            worker.start()
            self.workers.append(worker)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for worker in self.workers:
            worker.join(timeout=15)


def summary(records, since=None, until=None):
    counts = collections.Counter()
    for started, _, label, outcome in records:
        if (since is None or started >= since) and (until is None or started < until):
            counts[(label, outcome)] += 1
    return {f"{label} {outcome}": n for (label, outcome), n in sorted(counts.items(), key=str)}


def pages(port):
    _, _, listing = get(port, "/posts/", HTTPS_HEADERS)
    marker = b'class="post-card__title"><a href="'
    start = listing.index(marker) + len(marker)
    post = listing[start : listing.index(b'"', start)].decode()
    _, _, home = get(port, "/", HTTPS_HEADERS)
    marker = b'href="/static/css/site.'
    start = home.index(marker) + len('href="')
    css = home[start : home.index(b'"', start)].decode()
    return post, css


def sustained_load(seconds, post, css):
    paths = ["/", "/django-at-scale-in-production/", post, "/posts/", css, "/search/?q=cache"]
    paths += ["/posts/?topic=database", "/search/?q=gunicorn", "/posts/?page=2"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(MIX_LUA % ", ".join(f'"{p}"' for p in paths))
    try:
        result = wrk(PORT, "/", HTTPS_HEADERS, seconds, connections=64, script=script.name)
    finally:
        os.unlink(script.name)
    result.pop("raw")
    result["failed"] = result["socket_errors"] + result["non_2xx"]
    result["paths"] = paths
    return result


def wait_until(check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError("timed out waiting")


def postgres_ready():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def redis_ready():
    result = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True, check=False)
    return result.stdout.strip() == "PONG"


def postgres_restart(post, master_pid):
    targets = [
        ("uncached post", post, BYPASS_HEADERS),
        ("cached post", post, HTTPS_HEADERS),
        ("healthz", "/healthz", {}),
    ]
    with Load(targets) as load:
        time.sleep(3)
        went_down = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart"],
            check=True,
        )
        back = wait_until(postgres_ready, 60)
        time.sleep(8)
    records = load.records
    uncached_ok_after = [
        end
        for start, end, label, outcome in records
        if label == "uncached post" and outcome == 200
        if start >= back
    ]
    failures_after = [
        end for start, end, label, outcome in records if outcome != 200 and end >= back
    ]
    return {
        "database_down_for_s": round(back - went_down, 2),
        "first_uncached_200_after_return_s": round(min(uncached_ok_after) - back, 2)
        if uncached_ok_after
        else None,
        "last_failure_after_return_s": round(max(failures_after) - back, 2)
        if failures_after
        else None,
        "gunicorn_master_unchanged": Path(f"/proc/{master_pid}").exists(),
        "during_outage": summary(records, went_down, back),
        "after_return": summary(records, back),
        "before": summary(records, None, went_down),
    }


def redis_stop(post):
    targets = [
        ("cached home", "/", HTTPS_HEADERS),
        ("cached post", post, HTTPS_HEADERS),
        ("listing", "/posts/", HTTPS_HEADERS),
        ("uncached post", post, BYPASS_HEADERS),
    ]
    with Load(targets) as load:
        time.sleep(3)
        stopped = time.monotonic()
        subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True, check=False)
        try:
            wait_until(lambda: not redis_ready(), 10)
            time.sleep(5)
        finally:
            subprocess.run(REDIS_START, check=True, capture_output=True)
        started = wait_until(redis_ready, 30)
        time.sleep(5)
    records = load.records
    five_xx = sum(1 for *_, outcome in records if isinstance(outcome, int) and outcome >= 500)
    other = sum(1 for *_, outcome in records if not isinstance(outcome, int))
    hits_after = 0
    for _ in range(3):
        hits_after += get(PORT, post, HTTPS_HEADERS)[1].get("X-Page-Cache") == "hit"
    return {
        "redis_down_for_s": round(started - stopped, 2),
        "requests": len(records),
        "5xx": five_xx,
        "connection_errors": other,
        "during_outage": summary(records, stopped, started),
        "after_return": summary(records, started),
        "page_cache_hits_after_return": f"{hits_after} of 3",
    }


def write_section(results):
    sustained, pg, redis = results["sustained"], results["postgres"], results["redis"]
    lines = [
        FAULTS_START,
        "## Fault drill",
        "",
        f"`make faults` (`bench/faults.py`), "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, gunicorn with production "
        "settings on PostgreSQL and Redis, loopback only.",
        "",
        f"- **{sustained['seconds']} s at 64 connections** (wrk; pages, listing filters, "
        f"searches and a static file in turn): {sustained['requests']} requests, "
        f"{sustained['rps']:.0f} req/s, p50 {sustained['p50']:.1f} ms, p99 "
        f"{sustained['p99']:.1f} ms, **{sustained['failed']} failed** "
        f"({sustained['socket_errors']} socket errors, {sustained['non_2xx']} non-2xx/3xx).",
        f"- **PostgreSQL restarted under load** (16 clients: uncached post, cached post, "
        f"/healthz): down for {pg['database_down_for_s']} s; first uncached page answered "
        f"**{pg['first_uncached_200_after_return_s']} s after the database was back**; "
        + (
            f"last failed request ended {pg['last_failure_after_return_s']} s after its return"
            if pg["last_failure_after_return_s"] is not None
            else "no request failed after its return"
        )
        + f"; the same gunicorn master throughout: {pg['gunicorn_master_unchanged']}. "
        f"During the outage: {pg['during_outage']}. After: {pg['after_return']}. "
        "Uncached pages answer 503 with Retry-After while the database is down (serving/"
        "errors.py); cached pages keep answering 200 from the page cache, and /healthz "
        "answers 503.",
        f"- **Redis stopped under load** for {redis['redis_down_for_s']} s (16 clients): "
        f"{redis['requests']} requests, **{redis['5xx']} 5xx**, {redis['connection_errors']} "
        f"connection errors. During the outage: {redis['during_outage']}. After: "
        f"{redis['after_return']}. Page cache hits after Redis returned: "
        f"{redis['page_cache_hits_after_return']}. While Redis is down every request is "
        "rendered from PostgreSQL, Markdown and code included, so throughput drops to the "
        "uncached figures.",
        FAULTS_END,
    ]
    splice_section("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--phases", default="sustained,postgres,redis")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    prepare_database()
    env = site_env(redis=True)
    results = {}
    with Server("site_project.wsgi:application", PORT, env, "faults").start() as server:
        post, css = pages(PORT)
        for path in ("/", "/django-at-scale-in-production/", post, "/posts/"):
            get(PORT, path, HTTPS_HEADERS)
        phases = args.phases.split(",")
        if "sustained" in phases:
            print(f"Sustained load: {args.load_seconds} s at 64 connections", flush=True)
            results["sustained"] = sustained_load(args.load_seconds, post, css)
            results["sustained"]["seconds"] = args.load_seconds
            print(json.dumps(results["sustained"], indent=2), flush=True)
        if "postgres" in phases:
            print("PostgreSQL restart under load", flush=True)
            results["postgres"] = postgres_restart(post, server.process.pid)
            print(json.dumps(results["postgres"], indent=2), flush=True)
        if "redis" in phases:
            print("Redis stop under load", flush=True)
            results["redis"] = redis_stop(post)
            print(json.dumps(results["redis"], indent=2), flush=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "faults.json").write_text(json.dumps(results, indent=2))
    if not args.no_report and len(results) == 3:
        write_section(results)
        print(f"Wrote {PERFORMANCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""The front serving hot pages itself: cached pages through nginx against the floor through nginx.

gunicorn with production settings and Redis (the site) and the bare-Django floor (bench/floor.py),
each behind its own nginx running deploy/nginx.conf, the cluster's front, with its one-second
micro-cache. wrk measures, in alternating rounds, the floor through its nginx and each page
through the site's nginx; then a post is published and the front is polled (anonymously, as a
reader) until it shows the change. `make bench` runs it; it writes the "Through the front"
section of docs/PERFORMANCE.md.

    .venv/bin/python bench/front.py [--seconds 10] [--no-report]
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    FLOOR_PORT,
    HTTPS_HEADERS,
    LOGS,
    PERFORMANCE,
    PYTHON,
    REDIS_URL,
    ROOT,
    SITE_PORT,
    Server,
    get,
    prepare_database,
    site_env,
    write_section,
    wrk,
)
from deploy.cluster import nginx_command

SITE_FRONT, FLOOR_FRONT = SITE_PORT + 5, SITE_PORT + 6
PAGES = [
    ("home", "/"),
    ("compilation", "/django-at-scale-in-production/"),
    ("listing", "/posts/"),
]
ROUNDS = 5
TARGET = 2.0


class Front:
    """nginx with deploy/nginx.conf on 127.0.0.1:port in front of 127.0.0.1:upstream."""

    def __init__(self, name, port, upstream):
        self.prefix = LOGS / f"front-{name}"
        self.port, self.upstream = port, upstream
        self.process = None

    def __enter__(self):
        shutil.rmtree(self.prefix, ignore_errors=True)
        command = nginx_command(
            self.prefix, [f"127.0.0.1:{self.upstream}"], f"127.0.0.1:{self.port}"
        )
        self.process = subprocess.Popen(
            command,
            stderr=open(self.prefix / "error.log", "ab"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                get(self.port, "/healthz", HTTPS_HEADERS)
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"nginx on {self.port} did not start; see {self.prefix}/error.log")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            self.process.wait(timeout=10)


def paired(path, seconds):
    """The page through the site's front against the floor through its own, alternately."""
    wrk(SITE_FRONT, path, HTTPS_HEADERS, 1)
    # nginx keeps a copy per Vary value: http.client's Accept-Encoding is not wrk's.
    get(SITE_FRONT, path, HTTPS_HEADERS)
    status, headers, _ = get(SITE_FRONT, path, HTTPS_HEADERS)
    if status != 200 or headers.get("X-Front-Cache") != "HIT":
        raise SystemExit(f"{path} through the front: {status}, {headers.get('X-Front-Cache')}")
    step = max(1, seconds // ROUNDS)
    pages, floors = [], []
    for _ in range(ROUNDS):
        floors.append(wrk(FLOOR_FRONT, "/", HTTPS_HEADERS, step))
        pages.append(wrk(SITE_FRONT, path, HTTPS_HEADERS, step))
    return {
        "rps": statistics.median(run["rps"] for run in pages),
        "p99": statistics.median(run["p99"] for run in pages),
        "floor_rps": statistics.median(run["rps"] for run in floors),
        "floor_p99": statistics.median(run["p99"] for run in floors),
        "ratio": statistics.median(
            page["rps"] / floor["rps"] for page, floor in zip(pages, floors, strict=True)
        ),
        "errors": sum(run["socket_errors"] + run["non_2xx"] for run in pages),
    }


PUBLISH = """
import time
from blog.models import TopicPostPage
post = TopicPostPage.objects.live().order_by("-date", "pk").first()
original = post.title
post.title = original + " (through the front)"
post.save_revision().publish()
print(post.url, post.title, time.time(), sep="\\n")
"""

RESTORE = """
from blog.models import TopicPostPage
post = TopicPostPage.objects.live().order_by("-date", "pk").first()
post.title = post.title.removesuffix(" (through the front)")
post.save_revision().publish()
"""


def publish_shows_after(env):
    """Seconds from a publish to a reader seeing it through the front, for the post itself
    and for the listing."""
    for path in ("/posts/", "/"):  # both in the micro-cache before the publish
        get(SITE_FRONT, path, HTTPS_HEADERS)
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", PUBLISH],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()  # fmt: skip
    url, title, published_at = out[-3], out[-2], float(out[-1])
    shown = {}
    try:
        for name, path in (("post", url), ("listing", "/posts/")):
            while time.time() - published_at < 30:
                _, _, body = get(SITE_FRONT, path, HTTPS_HEADERS)
                if title.encode() in body:
                    shown[name] = time.time() - published_at
                    break
                time.sleep(0.05)
    finally:
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-v0", "-c", RESTORE], cwd=ROOT, env=env, check=True
        )
    return shown


def measure(seconds):
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    # Plain HTTP on loopback, as make cluster runs: nginx sets X-Forwarded-Proto from its own
    # (http) listener.
    env = {**site_env(redis=True), "GUNICORN_ACCESS_LOG": "", "SECURE_SSL_REDIRECT": "false"}
    results = {}
    with (
        Server("site_project.wsgi:application", SITE_PORT, env, "front-site").start(),
        Server("bench.floor:application", FLOOR_PORT, env, "front-floor").start("/"),
        Front("site", SITE_FRONT, SITE_PORT),
        Front("floor", FLOOR_FRONT, FLOOR_PORT),
    ):
        direct = wrk(FLOOR_PORT, "/", HTTPS_HEADERS, max(1, seconds // ROUNDS))
        results["floor_direct_rps"] = direct["rps"]
        for name, path in PAGES:
            print(f"[front] {name} {path}", flush=True)
            results[name] = paired(path, seconds)
        results["publish"] = publish_shows_after(env)
    return results


def report(results):
    lines = [
        "nginx with `deploy/nginx.conf` (the cluster's front, its one-second micro-cache) in "
        "front of the site's gunicorn (production settings, Redis) and, separately, in front of "
        f"the floor's; wrk at 16 connections in {ROUNDS} alternating rounds. The floor answered "
        f"{results['floor_direct_rps']:.0f} req/s without nginx in the same run.",
        "",
        "| page | req/s through the front | floor through the front | ratio | p99 ms | "
        "floor p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _ in PAGES:
        row = results[name]
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['floor_rps']:.0f} | {row['ratio']:.2f}× | "
            f"{row['p99']:.2f} | {row['floor_p99']:.2f} | {row['errors']} |"
        )
    lowest = min(results[name]["ratio"] for name, _ in PAGES)
    shown = results["publish"]
    post, listing = shown.get("post", float("inf")), shown.get("listing", float("inf"))
    stale_seconds = int(site_env(redis=True).get("PAGE_CACHE_STALE_SECONDS", "10"))
    lines += [
        "",
        f"- Cached pages through the front ≥ {TARGET:.0f}× the floor through the front: lowest "
        f"{lowest:.2f}× — {'met' if lowest >= TARGET else 'NOT met'}.",
        "- The published post seen through the front after "
        f"{post:.2f} s — {'met' if post <= 2 else 'NOT met'} (≤ 2 s). The listing, which "
        f"shows it, after {listing:.2f} s: other pages follow within the page cache's stale "
        f"window ({stale_seconds} s, serving/stale_pages.py) — "
        f"{'met' if listing <= stale_seconds + 2 else 'NOT met'}.",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-report", action="store_true", help="do not touch PERFORMANCE.md")
    args = parser.parse_args()
    prepare_database()
    results = measure(args.seconds)
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "front.json").write_text(json.dumps(results, indent=2))
    text = report(results)
    print(text)
    if not args.no_report:
        write_section("front", "Through the front (nginx's micro-cache)", "bench/front.py", text)
        print(f"Wrote {PERFORMANCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

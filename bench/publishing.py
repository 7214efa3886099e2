"""Publishing under load: cached-page throughput while an editor publishes every 5 s.

gunicorn with production settings and Redis on the bench database; wrk at 32 connections over
20 URLs (home, the compilation, the listing and posts), three runs of the same length:
1. nobody publishes (the baseline);
2. a post is published every 5 s (bench/publisher.py), with the stale window on
   (PAGE_CACHE_STALE_SECONDS, serving/stale_pages.py);
3. the same publishes with the window off (PAGE_CACHE_STALE_SECONDS=0: every page goes cold
   at each publish, as before the window existed).
Reports each run's requests per second and p99 as a share of the baseline, and how long after
each publish the post and the listing showed it to a reader (polled with a made-up query
parameter, so that the poll never renders the page itself). `make bench` runs it after
bench/run.py; it writes the "Publishing under load" section of docs/PERFORMANCE.md.

    .venv/bin/python bench/publishing.py [--seconds 30] [--no-report]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
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

CONNECTIONS = 32
URL_COUNT = 20
PUBLISH_EVERY = 5


def urls(port):
    """20 public URLs a reader would visit: home, compilation, listing, then posts."""
    found = ["/", "/django-at-scale-in-production/", "/posts/"]
    page = 1
    while len(found) < URL_COUNT and page < 5:
        _, _, listing = get(port, f"/posts/?page={page}", HTTPS_HEADERS)
        posts = re.findall(rb'class="post-card__title"><a href="(/posts/[^"]+/)"', listing)
        if not posts:
            break
        found += [path.decode() for path in posts if path.decode() not in found]
        page += 1
    return found[:URL_COUNT]


def round_robin_script(paths):
    """A wrk script that sends each connection's requests to the paths in turn."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(
        f"local paths = {{{quoted}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  return wrk.format(nil, paths[(n % #paths) + 1])\n"
        "end\n"
    )
    script.close()
    return script.name


def one_run(name, seconds, paths, stale_seconds, publish):
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    env = {**site_env(redis=True), "PAGE_CACHE_STALE_SECONDS": str(stale_seconds)}
    env["GUNICORN_ACCESS_LOG"] = ""
    script = round_robin_script(paths)
    with Server("site_project.wsgi:application", SITE_PORT, env, f"publishing-{name}").start():
        wrk(SITE_PORT, "/", HTTPS_HEADERS, 2, connections=CONNECTIONS, script=script)  # warm
        publisher = None
        if publish:
            publisher = subprocess.Popen(
                [PYTHON, "bench/publisher.py", "--port", str(SITE_PORT),
                 "--every", str(PUBLISH_EVERY), "--seconds", str(seconds)],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
        result = wrk(SITE_PORT, "/", HTTPS_HEADERS, seconds, connections=CONNECTIONS, script=script)
        result.pop("raw")
        if publisher is not None:
            out, _ = publisher.communicate(timeout=120)
            result["publishing"] = json.loads(out.strip().splitlines()[-1])
    Path(script).unlink()
    print(f"[publishing] {name}: {result['rps']:.0f} req/s, p99 {result['p99']:.1f} ms", flush=True)
    return result


def measure(seconds):
    env = site_env(redis=True)
    with Server("site_project.wsgi:application", SITE_PORT, env, "publishing-urls").start():
        paths = urls(SITE_PORT)
    window = int(env.get("PAGE_CACHE_STALE_SECONDS", "10"))
    return {
        "urls": paths,
        "baseline": one_run("baseline", seconds, paths, window, publish=False),
        "window": one_run("publishing, window on", seconds, paths, window, publish=True),
        "no_window": one_run("publishing, window off", seconds, paths, 0, publish=True),
        "window_seconds": window,
        "seconds": seconds,
    }


def slowest(values):
    shown = [value for value in values if value is not None]
    missing = len(values) - len(shown)
    text = f"{max(shown):.2f} s" if shown else "n/a"
    return text + (f" ({missing} not shown within 30 s)" if missing else "")


def report(results):
    base = results["baseline"]
    lines = [
        f"wrk at {CONNECTIONS} connections over {len(results['urls'])} URLs (home, the "
        f"compilation, the listing, posts) for {results['seconds']} s each; a post published "
        f"every {PUBLISH_EVERY} s during the second and third runs; Redis; every run against "
        "the first.",
        "",
        "| run | req/s | share of baseline | p99 ms | p99 ÷ baseline | errors | publishes | "
        "post shown after (slowest) | listing shown after (slowest) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "baseline": "nobody publishes",
        "window": f"publishing, stale window {results['window_seconds']} s",
        "no_window": "publishing, window off (every page cold at each publish)",
    }
    for key, label in labels.items():
        row = results[key]
        publishing = row.get("publishing", {})
        lines.append(
            f"| {label} | {row['rps']:.0f} | {row['rps'] / base['rps']:.1%} | "
            f"{row['p99']:.1f} | {row['p99'] / base['p99']:.2f}× | "
            f"{row['socket_errors'] + row['non_2xx']} | {publishing.get('publishes', '')} | "
            f"{slowest(publishing['post_shown_s']) if publishing else ''} | "
            f"{slowest(publishing['listing_shown_s']) if publishing else ''} |"
        )
    window = results["window"]
    met = window["rps"] >= 0.8 * base["rps"] and window["p99"] <= 3 * base["p99"]
    lines += [
        "",
        f"- Throughput while publishing ≥ 80 % of the baseline and p99 ≤ 3×: "
        f"{window['rps'] / base['rps']:.1%} and {window['p99'] / base['p99']:.2f}× — "
        f"{'met' if met else 'NOT met'}.",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--no-report", action="store_true", help="do not touch PERFORMANCE.md")
    args = parser.parse_args()
    prepare_database()
    results = measure(args.seconds)
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "publishing.json").write_text(json.dumps(results, indent=2))
    text = report(results)
    print(text)
    if not args.no_report:
        write_section("publishing", "Publishing under load", "bench/publishing.py", text)
        print(f"Wrote {PERFORMANCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""`make bench-admin`: the compilation editor's timings in headless Chromium.

    .venv/bin/python bench/admin.py [--sizes 100,300,1000] [--rounds 3] [--quick] [--no-report]

It builds a fresh SQLite database (var/bench-admin/db.sqlite3; --workdir to change the folder)
with the seed (`load_compilation`) and a superuser, then larger compilations made only through
the Markdown interface: `export_markdown` writes the seeded compilation as one file, its entries
are repeated within their own sections until the file holds 100, 300 and 1,000 entries, and
`import_markdown --publish` brings each copy back under a new slug. So the bench does not depend
on how a compilation stores its sections.

For each compilation it measures its editing units: the compilation's edit view and, when the
compilation has child pages, the edit view of the largest of them (the one whose edit view is
the biggest HTML). Per unit, in-process first (Django's test client, signed in, after one
warm-up request): the edit view's queries and time. Then in Chromium (Playwright, the site under
gunicorn with the test settings on 127.0.0.1), signed in once, in a fresh tab per round:
- interactive: navigation start until the load event and then no long task for 1 s (a
  PerformanceObserver for "longtask" from the document's start); capped at 30 s;
- DOM elements and JS heap used (after a garbage collection) at that point;
- keystroke latency in the first annotation (or other text) field: from each key's event to the
  next animation frame, over 20 keys (a letter, a Backspace, ...), median;
- Save draft: from the click to the reloaded page's load event, and usable after saving: from
  the click until that page is quiet again (the same rule as interactive).
Figures are medians of --rounds rounds (default 3). The table goes to docs/PERFORMANCE.md
(between the admin markers) and var/bench-admin/results.json, and is printed.

--quick: the seeded compilation only, one round, no report (the test suite runs it).
"""

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Server, write_section  # noqa: E402 - once the project is importable
from bench.local_site import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

SEED_SLUG = "django-at-scale-in-production"
SIZES = (100, 300, 1000)
ROUNDS = 3
KEYSTROKES = 20
QUIET_MS = 1000
CAP_MS = 30_000
NOT_QUIET = f"not quiet within {CAP_MS // 1000} s"
USER = {"username": "bench-admin", "password": "bench-admin-password-123"}
FIRST_PORT = int(os.environ.get("BENCH_ADMIN_PORT", "8310"))
PORTS = range(FIRST_PORT, FIRST_PORT + 100)
# Chromium as the browser journeys drive it, plus exact heap figures and a callable gc().
BROWSER_ARGS = [*CHROMIUM_ARGS, "--enable-precise-memory-info", "--js-flags=--expose-gc"]


# The larger compilations, from the exported Markdown ----------------------------------------


def _sections(lines):
    """[(index of the section's last entry line or of its entries mark, [entry lines])] of a
    compilation file (markdown_io/compilations.py): a section starts at a "## " line followed by
    a "<!--" line, its entries are the list items after its "<!-- entries -->" line."""
    sections, in_entries = [], False
    for number, line in enumerate(lines):
        if (
            line.startswith("## ")
            and number + 1 < len(lines)
            and lines[number + 1].strip() == "<!--"
        ):
            sections.append([None, []])
            in_entries = False
        elif sections and line.strip() == "<!-- entries -->":
            sections[-1][0] = number
            in_entries = True
        elif sections and in_entries and line.startswith(("- ", "* ")):
            sections[-1][0] = number
            sections[-1][1].append(line)
    return [(last, entries) for last, entries in sections if last is not None]


def count_entries(text):
    return sum(len(entries) for _last, entries in _sections(text.split("\n")))


def shares(counts, total):
    """`total` split in proportion to `counts` (largest remainders), each at least its count."""
    whole = sum(counts)
    exact = [total * count / whole for count in counts]
    parts = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def grow(text, total, slug, title):
    """The compilation file `text` with its entries repeated within their own sections until
    it holds `total` entries (each section keeps its share), under a new slug and title."""
    lines = text.split("\n")
    sections = _sections(lines)
    counts = [len(entries) for _last, entries in sections]
    if sum(counts) == 0:
        raise ValueError("the compilation has no entries to repeat")
    if total < sum(counts):
        raise ValueError(f"the compilation already has {sum(counts)} entries, more than {total}")
    extra = {}
    for (last, entries), target in zip(sections, shares(counts, total), strict=True):
        extra[last] = [entries[i % len(entries)] for i in range(len(entries), target)]
    out, in_front_matter = [], False
    for number, line in enumerate(lines):
        if number == 0 and line.strip() == "---":
            in_front_matter = True
        elif in_front_matter and line.strip() == "---":
            in_front_matter = False
        elif in_front_matter and line.startswith("slug:"):
            line = f"slug: {slug}"
        elif in_front_matter and line.startswith("title:"):
            line = f"title: {json.dumps(title)}"  # a JSON string is a YAML string
        out.append(line)
        out.extend(extra.get(number, ()))
    return "\n".join(out)


# Quiet time: the load event, then no long task for QUIET_MS ---------------------------------


def quiet_time(load_end, long_tasks, now, quiet=QUIET_MS):
    """When the page became usable, in ms since navigation start: the load event, or the end of
    the last long task that came less than `quiet` ms after it (or after the one before), once
    `quiet` ms have gone by with none. None while that is not yet seen at `now`.

    `long_tasks` are (start, duration) pairs, as a PerformanceObserver reports them."""
    if not load_end:
        return None
    moment = load_end
    for start, duration in sorted(long_tasks):
        end = start + duration
        if end <= moment:
            continue
        if start >= moment + quiet:
            break
        moment = end
    return moment if now >= moment + quiet else None


# The table ---------------------------------------------------------------------------------


def median(values):
    """The median, counting a missing figure (None: never quiet) as longer than any other;
    None when that is where the median falls."""
    ordered = sorted(values, key=lambda value: math.inf if value is None else value)
    if not ordered:
        return None
    middle = ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]
    if any(value is None for value in middle):
        return None
    return statistics.mean(middle)


def _seconds(ms):
    return NOT_QUIET if ms is None else f"{ms / 1000:.1f} s"


def _thousands(count):
    return f"{count / 1000:.1f}k" if count >= 1000 else str(count)


def table(rows):
    """A Markdown table of the measured rows (dicts from measure_unit and server_share)."""
    lines = [
        "| entries | editing unit | interactive | DOM elements | JS heap | keystroke (median, "
        "max) | Save draft | usable after saving | server: queries | server: time |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        interactive = _seconds(row["interactive"])
        if row["interactive"] is None:
            interactive += f" (load event {_seconds(row['load'])})"
        elif row.get("not_quiet"):
            interactive += f" ({row['not_quiet']} of {row['rounds']} {NOT_QUIET})"
        lines.append(
            f"| {row['entries']:,} | {row['unit']} | {interactive} | {_thousands(row['dom'])} | "
            f"{row['heap'] / 1e6:.0f} MB | {row['key_median']:.0f} ms, {row['key_max']:.0f} ms | "
            f"{_seconds(row['save'])} (server {_seconds(row['save_server'])}) | "
            f"{_seconds(row['usable'])} | {row['queries']} | "
            f"{row['server_ms'] / 1000:.2f} s |"
        )
    return "\n".join(lines)


HOW = """\
Measured with `make bench-admin` (`bench/admin.py`): the site under gunicorn (2 workers) with the \
test settings on a fresh SQLite database (`var/bench-admin/db.sqlite3`), driven by Playwright in \
Debian's headless Chromium (`--headless --no-sandbox --disable-gpu \
--disable-background-networking --enable-precise-memory-info`), window 1280 × 900, signed in as \
a superuser. The compilations: the seed's ({seed} entries), and copies with its entries \
repeated within their own sections to {sizes} entries, made with `export_markdown` and \
`import_markdown --publish`. Each row is an editing unit (the compilation's edit view; when a \
compilation has child pages, also the largest child's edit view), medians of {rounds} rounds, \
each in a fresh tab:
- **interactive**: navigation start until the load event and then no long task (a \
`PerformanceObserver` for `longtask`) for 1 s; given up at 30 s.
- **DOM elements**, **JS heap** (`performance.memory.usedJSHeapSize` after a garbage \
collection) at that point (or at 30 s).
- **keystroke**: from a key's event to the next animation frame, in the first annotation field \
(its section opened first), 20 keys (a letter, a Backspace, ...): median and slowest.
- **Save draft**: from the click to the reloaded edit view's load event (in brackets: to its \
first byte, the server's part: the POST, its redirect and the edit view again); **usable after \
saving**: from the click until that page is quiet again (same rule).
- **server**: the edit view's database queries and time in-process (Django's test client and \
`CaptureQueriesContext`, after one warm-up; the median of 3).
"""


def report(rows, rounds):
    counts = list(dict.fromkeys(row["entries"] for row in rows))
    sizes = ", ".join(f"{count:,}" for count in counts[1:]) or "no other number of"
    how = HOW.format(rounds=rounds, seed=f"{counts[0]:,}", sizes=sizes)
    return how + "\n" + table(rows) + "\n"


# The site and the server's share -----------------------------------------------------------


def site_env(workdir):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings.test",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_SUPERUSER_PASSWORD=USER["password"],
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        WEB_CONCURRENCY="2",
        # Saving a compilation of 1,000 entries is what is measured, not gunicorn's patience.
        GUNICORN_TIMEOUT="300",
        GUNICORN_ACCESS_LOG="",
    )
    return env


def manage(env, *args, quiet=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=quiet,
        text=True,
    )
    if result.returncode:
        sys.stderr.write((result.stdout or "") + (result.stderr or ""))
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def prepare(workdir, sizes):
    """A fresh seeded database with a superuser and the larger compilations;
    [(slug, entries)] of every compilation to measure, the seed's first."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("db.sqlite3", "export", "copies"):
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    env = site_env(workdir)
    print("Seeding a fresh database", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_compilation")
    manage(
        env, "createsuperuser", "--noinput", "--username", USER["username"], "--email", "b@x.org"
    )
    manage(env, "export_markdown", str(workdir / "export"))
    seed = (workdir / "export" / f"{SEED_SLUG}.md").read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", seed, re.M).group(1).strip().strip("\"'")
    compilations = [(SEED_SLUG, count_entries(seed))]
    copies = workdir / "copies"
    copies.mkdir()
    for size in sizes:
        slug = f"{SEED_SLUG}-{size}-entries"
        text = grow(seed, size, slug, f"{title} ({size:,} entries)")
        (copies / f"{slug}.md").write_text(text, encoding="utf-8")
        compilations.append((slug, count_entries(text)))
    if sizes:
        print(f"Importing {len(sizes)} larger compilations", flush=True)
        manage(env, "import_markdown", "--publish", str(copies))
    return compilations


def server_share(workdir, compilations):
    """{slug: [unit]}: each compilation's editing units with the edit view's queries and time.

    In this process, before the browser starts: Playwright's event loop and Django's database
    code do not share a thread."""
    os.environ.update(site_env(workdir))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=USER["username"]))
    units = editing_units(client, compilations)
    connections.close_all()
    return units


def editing_units(client, compilations):
    """{slug: [unit]} for [(slug, entries)], through `client`, signed in: the compilation, and
    its largest child page (by the size of its edit view) when it has children."""
    from django.urls import reverse
    from wagtail.models import Locale, Page

    def edit_url(page_id):
        return reverse("wagtailadmin_pages:edit", args=[page_id])

    units = {}
    default = Locale.get_default()
    for slug, entries in compilations:
        page = Page.objects.filter(slug=slug, locale=default).order_by("path").first()
        units[slug] = [{**edit_view(client, edit_url(page.pk)), "unit": "compilation"}]
        children = list(page.get_children().values_list("pk", "title"))
        if children:
            # The biggest edit view: the child with the most to edit.
            sizes = {pk: len(client.get(edit_url(pk)).content) for pk, _title in children}
            pk, title = max(children, key=lambda child: sizes[child[0]])
            units[slug].append(
                {**edit_view(client, edit_url(pk)), "unit": f"largest child: {title}"}
            )
        for unit in units[slug]:
            unit["entries"] = entries
    return units


def edit_view(client, url):
    """The edit view's queries, time (median of 3 after a warm-up) and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, the content types, the routes
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return {
        "path": url,
        "queries": len(queries),
        "server_ms": statistics.median(times),
        "bytes": len(response.content),
    }


# In the browser ----------------------------------------------------------------------------

# Runs at the start of every document: long tasks, key-to-frame latencies, the Save draft click
# (kept in sessionStorage, which outlives the navigation it starts).
OBSERVE = """
window.__benchLongTasks = [];
new PerformanceObserver(list => {
    for (const task of list.getEntries()) {
        window.__benchLongTasks.push([task.startTime, task.duration]);
    }
}).observe({type: "longtask", buffered: true});
window.__benchKeys = [];
window.addEventListener("keydown", event => {
    const at = event.timeStamp;
    requestAnimationFrame(() => window.__benchKeys.push(performance.now() - at));
}, true);
window.addEventListener("click", event => {
    if (event.target.closest && event.target.closest("footer .action-save")) {
        sessionStorage.setItem("benchClick", String(performance.timeOrigin + event.timeStamp));
    }
}, true);
"""

STATE = """() => ({
    now: performance.now(),
    origin: performance.timeOrigin,
    load: (performance.getEntriesByType("navigation")[0] || {}).loadEventEnd || 0,
    response: (performance.getEntriesByType("navigation")[0] || {}).responseStart || 0,
    tasks: window.__benchLongTasks || [],
})"""

# The field typed into: an annotation, else any text box; the panels around it opened.
PICK_FIELD = """() => {
    // Not a text box a Markdown editor has replaced (EasyMDE hides its textarea).
    const typable = field => field.style.display !== "none" && !field.closest(".EasyMDEContainer");
    const first = selector => Array.from(document.querySelectorAll(selector)).find(typable);
    const field = first("textarea[name$='annotation'], input[name$='annotation']")
        || first("form textarea:not([hidden]), form input[type='text']");
    if (!field) return false;
    for (const toggle of document.querySelectorAll("[data-panel-toggle][aria-expanded='false']")) {
        const content = document.getElementById(toggle.getAttribute("aria-controls"));
        if (content && content.contains(field)) toggle.click();
    }
    field.setAttribute("data-bench-field", "");
    return true;
}"""

AUTOSAVE_RESTING = """() => {
    const indicator = document.getElementById("w-autosave-indicator");
    return !indicator || indicator.getAttribute("data-w-autosave-state-value") !== "saving";
}"""


def wait_quiet(page):
    """(ms from navigation start to quiet or None, the state when it was decided)."""
    while True:
        state = page.evaluate(STATE)
        moment = quiet_time(state["load"], state["tasks"], state["now"])
        if moment is not None:
            return moment, state
        if state["now"] > CAP_MS:
            return None, state
        time.sleep(0.2)


def keystrokes(page):
    if not page.evaluate(PICK_FIELD):
        raise SystemExit(f"{page.url}: no annotation or text field to type into")
    field = page.locator("[data-bench-field]")
    field.scroll_into_view_if_needed(timeout=60_000)
    field.click()
    page.keyboard.press("End")
    page.wait_for_function("() => window.__benchKeys.length > 0", timeout=60_000)
    page.evaluate("() => { window.__benchKeys = []; }")
    for number in range(KEYSTROKES):
        page.keyboard.press("x" if number % 2 == 0 else "Backspace")
        page.wait_for_function(
            "count => window.__benchKeys.length > count", arg=number, timeout=60_000
        )
        # Uneven pauses, so the keys do not keep step with timers on the page.
        time.sleep(0.1 + 0.037 * (number % 5))
    latencies = page.evaluate("() => window.__benchKeys")
    # The round's change, saved next: one character more (or less, at the length limit).
    length = field.evaluate("field => field.value.length")
    page.keyboard.press("!" if length < 200 else "Backspace")
    return latencies


def save_draft(page):
    """ms from the Save draft click to the reloaded page's first byte (the server's part: the
    POST, its redirect and the edit view again), to its load event, and to its being quiet."""
    page.wait_for_function(AUTOSAVE_RESTING, timeout=120_000)
    page.evaluate("() => sessionStorage.removeItem('benchClick')")
    with page.expect_navigation(wait_until="load", timeout=300_000):
        page.locator("footer button.action-save").first.click()
    moment, state = wait_quiet(page)
    clicked = float(page.evaluate("() => sessionStorage.getItem('benchClick')") or "nan")
    messages = page.locator(".messages").all_inner_texts()
    if not any("updated" in text or "saved" in text.lower() for text in messages):
        raise SystemExit(f"Save draft did not save: {' '.join(messages) or 'no message'}")
    answered = state["origin"] + state["response"] - clicked
    loaded = state["origin"] + state["load"] - clicked
    usable = None if moment is None else state["origin"] + moment - clicked
    return answered, loaded, usable


def measure_round(context, path):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(path, wait_until="load", timeout=300_000)
        interactive, state = wait_quiet(page)
        dom, heap = page.evaluate(
            """() => {
                if (window.gc) window.gc();
                return [document.getElementsByTagName("*").length,
                        performance.memory.usedJSHeapSize];
            }"""
        )
        latencies = keystrokes(page)
        save_server, save, usable = save_draft(page)
        return {
            "interactive": interactive,
            "dom": dom,
            "heap": heap,
            "keys": latencies,
            "save": save,
            "save_server": save_server,
            "usable": usable,
            "load": state["load"],
            "long_tasks": state["tasks"],
        }
    finally:
        page.close()


def sign_in(context):
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", USER["username"])
    page.fill("#id_password", USER["password"])
    with page.expect_navigation():
        page.locator("form button[type='submit']").first.click()
    if "/admin/login/" in page.url:
        raise SystemExit("Signing in to the admin failed")
    page.close()


def browse(url, units, rounds):
    """Every unit measured `rounds` times; rows for the table."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        context.add_init_script(OBSERVE)
        sign_in(context)
        for unit_list in units.values():
            for unit in unit_list:
                results = []
                for number in range(1, rounds + 1):
                    print(
                        f"  {unit['entries']:>5} entries, {unit['unit']}, round {number}",
                        flush=True,
                    )
                    results.append(measure_round(context, unit["path"]))
                rows.append(combine(unit, results))
        browser.close()
    return rows


def combine(unit, results):
    keys = [statistics.median(result["keys"]) for result in results]
    return {
        "entries": unit["entries"],
        "unit": unit["unit"],
        "path": unit["path"],
        "rounds": len(results),
        "interactive": median([r["interactive"] for r in results]),
        "load": statistics.median(r["load"] for r in results),
        "not_quiet": sum(r["interactive"] is None for r in results),
        "dom": round(statistics.median(r["dom"] for r in results)),
        "heap": statistics.median(r["heap"] for r in results),
        "key_median": statistics.median(keys),
        "key_max": max(max(r["keys"]) for r in results),
        "save": median([r["save"] for r in results]),
        "save_server": median([r["save_server"] for r in results]),
        "usable": median([r["usable"] for r in results]),
        "queries": unit["queries"],
        "server_ms": unit["server_ms"],
        "raw": results,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--quick", action="store_true", help="the seed only, one round, no report")
    parser.add_argument("--no-report", action="store_true", help="do not touch PERFORMANCE.md")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-admin")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"No Chromium at {CHROMIUM} (CHROMIUM_PATH)")
    sizes = [] if args.quick else [int(size) for size in args.sizes.split(",") if size]
    rounds = 1 if args.quick else args.rounds
    started = time.monotonic()
    workdir = args.workdir.resolve()
    compilations = prepare(workdir, sizes)
    print("The server's share (edit views in-process)", flush=True)
    units = server_share(workdir, compilations)
    env = site_env(workdir)
    port = free_port(PORTS)
    print(f"Measuring in Chromium against 127.0.0.1:{port}", flush=True)
    server = Server("site_project.wsgi:application", port, env, f"bench-admin-{port}")
    # wsgi.py defaults to the production settings; the environment says the test settings.
    with server.start():
        rows = browse(f"http://127.0.0.1:{port}", units, rounds)
    (workdir / "results.json").write_text(json.dumps(rows, indent=2))
    print()
    print(table(rows))
    if not (args.quick or args.no_report):
        write_section(
            "admin",
            "The compilation editor in Chromium",
            "bench/admin.py",
            report(rows, rounds),
        )
        print("\nWrote docs/PERFORMANCE.md")
    print(f"Took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()

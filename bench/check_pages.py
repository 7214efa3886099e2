"""Check every page type with the Nu HTML Checker (vnu) and axe-core; `make check-pages` runs it.

Seeds a throwaway SQLite database under var/check-pages/, serves it with `manage.py runserver`
(test settings, as the browser journeys do) on a free port in $CHECK_PAGES_PORT..+99 (default
8100), then:
- vnu (the vnu-jar npm package, pinned in the Makefile, run with the system's Java) checks the
  HTML of each page;
- axe-core (the copy inside the pinned axe-playwright-python, in Debian's Chromium) checks each
  page in the light and the dark colour scheme, with the rules the browser journeys use.
Prints the counts per page and exits 1 on any vnu error or axe violation (warnings and
"info" messages are counted but pass).

    make check-pages   # or: .venv/bin/python bench/check_pages.py --vnu path/to/vnu.jar
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.local_site import CHROMIUM, CHROMIUM_ARGS, seeded_site

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "check-pages"
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "best-practice"]}

# name -> (path, expected status): one of each page type, on the seed content.
PAGES = {
    "home": ("/", 200),
    "compilation": ("/django-at-scale-in-production/", 200),
    "post": ("/posts/caching/", 200),
    "listing": ("/posts/", 200),
    "topic": ("/topics/database/", 200),
    "tag": ("/tags/postgresql/", 200),
    "search": ("/search/?q=cache", 200),
    "search-empty": ("/search/?q=zzqxvy", 200),
    "search-form": ("/search/", 200),
    "not-found": ("/no-such-page/", 404),
}


def fetch(url):
    """(status, body bytes) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_vnu(vnu_jar, files):
    """{file name: (errors, warnings, messages)} from one vnu run over every file."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    found = {path.name: ([], []) for path in files}
    for message in messages:
        name = Path(message.get("url", "").removeprefix("file:")).name
        kind = message.get("type")
        subtype = message.get("subType")
        errors, warnings = found.setdefault(name, ([], []))
        if kind == "error" or subtype == "fatal":
            errors.append(message)
        elif subtype == "warning":
            warnings.append(message)
    if result.returncode not in (0, 1) and not messages:
        raise SystemExit(f"vnu failed to run: {result.stderr.strip()[:500]}")
    return found


def run_axe(base_url):
    """{page name: [(scheme, violation id, nodes)]} from axe-core in Chromium."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for name, (path, _status) in PAGES.items():
            page.goto(base_url + path)
            page.wait_for_load_state("load")
            found[name] = []
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                results = Axe().run(page, options=AXE_RULES)
                for violation in results.response["violations"]:
                    found[name].append((scheme, violation["id"], len(violation["nodes"])))
        browser.close()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vnu", required=True, help="path to vnu.jar")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the checkout to serve (default: this one)"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}")

    site = WORK / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": f"sqlite:///{site / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    first = int(os.environ.get("CHECK_PAGES_PORT", "8100"))
    tree = args.tree.resolve()
    with seeded_site(tree, env, range(first, first + 100), WORK / "server.log") as base_url:
        files = []
        bad_status = []
        for name, (path, status) in PAGES.items():
            got, body = fetch(base_url + path)
            if got != status:
                bad_status.append(f"{name}: {path} answered {got}, expected {status}")
            target = site / f"{name}.html"
            target.write_bytes(body)
            files.append(target)
        vnu = run_vnu(args.vnu, files)
        axe = run_axe(base_url)

    failed = bool(bad_status)
    print(f"{'page':<14} {'vnu errors':>10} {'warnings':>9} {'axe violations':>15}")
    for name in PAGES:
        errors, warnings = vnu.get(f"{name}.html", ([], []))
        violations = axe.get(name, [])
        failed = failed or bool(errors) or bool(violations)
        print(f"{name:<14} {len(errors):>10} {len(warnings):>9} {len(violations):>15}")
    for name in PAGES:
        for message in vnu.get(f"{name}.html", ([], []))[0]:
            line = message.get("lastLine", "?")
            print(f"  vnu {name}:{line}: {message.get('message', '')[:300]}")
        for scheme, rule, nodes in axe.get(name, []):
            print(f"  axe {name} ({scheme}): {rule} on {nodes} element(s)")
    for problem in bad_status:
        print(f"  status {problem}")
    print("FAILED" if failed else "OK: no vnu error and no axe violation on any page")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

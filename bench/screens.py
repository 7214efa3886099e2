"""Screenshots of the reader's main pages at 1280 and 390 px, for comparing two versions.

Seeds a SQLite database of its own inside TREE (a checkout of this project: this worktree, or
an older commit checked out with `git worktree add`), serves that tree with `manage.py
runserver` (test settings, this virtualenv's Python) on a free port from $SCREENS_PORT (default
8150), and writes OUT/<page>-<width>.png (full page, light colour scheme):

    git worktree add --detach /tmp/readers-before 48bc918
    .venv/bin/python bench/screens.py --tree /tmp/readers-before --out OUT/before
    .venv/bin/python bench/screens.py --tree . --out OUT/after

`make screens` does all three, into test-artifacts/readers-screens/.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.local_site import CHROMIUM, CHROMIUM_ARGS, seeded_site

PAGES = {
    "home": "/",
    "compilation": "/django-at-scale-in-production/",
    "post": "/posts/caching/",
    "search": "/search/?q=cache",
}
WIDTHS = (1280, 390)


def shoot(base_url, out):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme="light"
            )
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base_url + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", required=True, type=Path, help="the checkout to serve")
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNGs")
    args = parser.parse_args()
    tree = args.tree.resolve()
    workdir = tree / "var" / "screens"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "db.sqlite3").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    first = int(os.environ.get("SCREENS_PORT", "8150"))
    with seeded_site(tree, env, range(first, first + 50), workdir / "server.log") as url:
        for path in shoot(url, args.out.resolve()):
            print(path)


if __name__ == "__main__":
    main()

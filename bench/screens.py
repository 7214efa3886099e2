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
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = {
    "home": "/",
    "compilation": "/django-at-scale-in-production/",
    "post": "/posts/caching/",
    "search": "/search/?q=cache",
}
WIDTHS = (1280, 390)


def free_port(first):
    for port in range(first, first + 50):
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {first}-{first + 49}")


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def serve(tree, workdir):
    """Seed `tree`'s site into workdir/db.sqlite3 and serve it: (base URL, process, log)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(tree / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_compilation"]):
        subprocess.run(manage + command, env=env, cwd=tree, check=True, capture_output=True)
    port = free_port(int(os.environ.get("SCREENS_PORT", "8150")))
    log = open(workdir / "server.log", "w")
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=tree,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not answers(url + "/"):
        if server.poll() is not None or time.monotonic() > deadline:
            server.terminate()
            raise SystemExit(f"{url} did not start; see {log.name}")
        time.sleep(0.3)
    return url, server, log


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
    url, server, log = serve(tree, workdir)
    try:
        for path in shoot(url, args.out.resolve()):
            print(path)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    main()

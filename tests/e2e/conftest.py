"""Browser journeys: a real server on a seeded SQLite database, driven by Playwright.

The server is `manage.py runserver` with the test settings on a free port in 8200-8299, on its
own database file built by `migrate` and `load_compilation`, so the journeys see the site a
newcomer sees after `make run`. Chromium is Debian's /usr/bin/chromium (Playwright's own browser
downloads are not used). Without Chromium the journeys are skipped, except when the CI
environment variable is set: then they fail, so CI cannot pass without them.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.local_site import CHROMIUM, CHROMIUM_ARGS, seeded_site

# A hundred ports from E2E_PORT_FIRST, so that runs side by side can each have their own.
_FIRST_PORT = int(os.environ.get("E2E_PORT_FIRST", "8200"))
PORTS = range(_FIRST_PORT, _FIRST_PORT + 100)
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR = {"username": "e2e-editor", "password": "e2e-editor-password-123"}


# A journey drives a real browser against a real server on a 2-core machine shared with the rest
# of the suite: a click can land while the admin's scripts are still rebuilding the page. A
# journey that fails is run once more, from a fresh browser page, and fails only if it fails
# again; pytest's summary counts the reruns ("rerun"), so a journey that needs one is seen.
JOURNEY_RERUNS = 1
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.flaky(reruns=JOURNEY_RERUNS, reruns_delay=1))


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"Browser journeys are required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (make test installs it)")
    return CHROMIUM


@pytest.fixture(scope="session")
def site_env(tmp_path_factory):
    """The environment of the browser journeys' site: its settings and database."""
    workdir = tmp_path_factory.mktemp("e2e-site")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_SUPERUSER_PASSWORD": EDITOR["password"],
        "PYTHONUNBUFFERED": "1",
    }


def run_manage(site_env, *command):
    """Run a manage.py command against the journeys' site (its database, its settings)."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=site_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def live_url(chromium_path, site_env):
    """The base URL of a seeded site, served for the whole session."""
    workdir = Path(site_env["DATABASE_URL"].removeprefix("sqlite:///")).parent
    setup = (
        ["shell", "-c", "from tests.e2e.sample_content import add_code_sample; add_code_sample()"],
        ["shell", "-c", "from tests.e2e.sample_content import add_submission; add_submission()"],
        ["createsuperuser", "--noinput", "--username", EDITOR["username"], "--email", "e@x.org"],
    )
    with seeded_site(ROOT, site_env, PORTS, workdir / "server.log", setup) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import expect

    # Two shared cores and a real server: give assertions time rather than flake.
    expect.set_options(timeout=20_000)
    # Module scope: Playwright's sync API runs an event loop, which Django's database code
    # refuses to share; closing it after each browser module keeps the other tests unaffected.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Wagtail's editor runs its accessibility checks (axe) again on each preview refresh; when a
# refresh comes while a run is still going, axe logs this and the later run simply wins.
WAGTAIL_OVERLAPPING_CHECKS = "Axe is already running"


class ConsoleErrors(list):
    """Console errors and uncaught exceptions from every page of a browser context."""

    def watch(self, page):
        page.on("console", lambda msg: self.console(page, msg))
        page.on("pageerror", lambda error: self.append(f"{page.url}: {error}"))

    def console(self, page, msg):
        if msg.type != "error":
            return
        if "/admin/" in page.url and msg.text.startswith(WAGTAIL_OVERLAPPING_CHECKS):
            return
        self.append(f"{page.url}: {msg.text}")


@pytest.fixture
def console_errors():
    return ConsoleErrors()


@pytest.fixture
def page(browser, live_url, console_errors):
    """A fresh browser tab (its own localStorage) whose base URL is the live site."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    console_errors.watch(tab)
    yield tab
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    """The journeys' screenshots of the last run go; folders under test-artifacts/ (kept
    comparisons such as readers-screens/ from bench/screens.py) stay."""
    if ARTIFACTS.exists():
        for path in ARTIFACTS.iterdir():
            if path.is_file():
                path.unlink()

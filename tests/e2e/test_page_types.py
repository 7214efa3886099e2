"""Every page type in a real browser: no console errors, no horizontal scrolling from 320 px up,
no accessibility violations found by axe-core (light and dark schemes), and a screenshot at
390 px and 1280 px saved under test-artifacts/."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

PAGES = {
    "home": "/",
    "compilation": "/django-at-scale-in-production/",
    "post": "/posts/caching/",
    "posts": "/posts/",
    "topic": "/topics/database/",
    "tag": "/tags/postgresql/",
    "search": "/search/?q=cache",
    "not-found": "/no-such-page/",
}


def visit(page, name):
    response = page.goto(PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    expect(page.locator("h1")).to_have_count(1)
    page.wait_for_load_state("load")
    return response


@pytest.mark.parametrize("name", list(PAGES))
def test_page_type_is_responsive_accessible_and_screenshotted(page, console_errors, name):
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        visit(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        if width != 320:
            screenshot(page, name)

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
        assert results.violations_count == 0, f"{scheme}: {results.generate_report()}"

    if name == "not-found":
        # The browser logs the page's own 404 status; nothing else may fail.
        console_errors = [e for e in console_errors if "/no-such-page/: Failed to load" not in e]
    assert console_errors == []

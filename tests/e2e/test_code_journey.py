"""Code in a real browser: every way of writing it gets the same highlighted, labelled box that
scrolls on its own at 390 px, and a copy button."""

import pytest
from playwright.sync_api import expect

from tests.e2e.sample_content import CODE_SAMPLE_SLUG

URL = f"/posts/{CODE_SAMPLE_SLUG}/"
# Backtick fence, tilde fence, fence in a list item, indented code, then the Code block.
LABELS = ["Python", "SQL", "Shell", "Code", "Python"]


@pytest.fixture
def phone(browser, live_url, console_errors):
    context = browser.new_context(
        base_url=live_url,
        viewport={"width": 390, "height": 844},
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = context.new_page()
    console_errors.watch(tab)
    yield tab
    context.close()


def test_every_way_of_writing_code_is_a_highlighted_box_that_scrolls_on_its_own(phone):
    phone.goto(URL)

    boxes = phone.locator("figure.code-block")
    expect(boxes).to_have_count(len(LABELS))
    expect(phone.locator(".code-block__language")).to_have_text(LABELS)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for n in range(len(LABELS)):
        region = boxes.nth(n).get_by_role("region")
        expect(region).to_have_attribute("tabindex", "0")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), f"box {n} does not scroll"
        background = region.locator(".highlight").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), f"box {n} is unstyled"
    expect(phone.locator(".code-block .highlight .k").first).to_be_visible()
    expect(phone.locator("li figure.code-block")).to_have_count(1)


def test_copy_button_copies_the_code_as_written(phone, console_errors):
    phone.goto(URL)

    tilde_box = phone.locator("figure.code-block").nth(1)
    tilde_box.get_by_role("button", name="Copy the SQL code").click()

    expect(tilde_box.get_by_role("button")).to_have_text("Copied")
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("SELECT id, title FROM blog_topicpostpage WHERE title ILIKE '%redis%'")
    expect(phone.get_by_role("status")).to_have_text("Code copied to the clipboard")
    assert console_errors == []


def test_code_boxes_have_no_copy_button_without_javascript(browser, live_url):
    context = browser.new_context(base_url=live_url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(URL)

    expect(tab.locator("figure.code-block")).to_have_count(len(LABELS))
    expect(tab.locator(".code-block__copy")).to_have_count(0)
    context.close()

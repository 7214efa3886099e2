"""A reader suggests a link at the end of a section; an editor accepts it into a draft with one
click, publishes, and the entry is on the compilation and on its "What changed" page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_editor_journey import log_in, publish

COMPILATION = "/django-at-scale-in-production/"
LINK = "https://www.example.org/articles/suggested-by-a-reader"
TITLE = "A reader's favourite on connection pools"


def test_a_suggestion_goes_from_reader_to_published_entry(page, console_errors):
    # The reader, at the end of a section.
    page.goto(COMPILATION)
    first_section = page.locator("section.section").first
    heading = first_section.locator("h2").inner_text().rstrip("#").strip()
    first_section.locator(".section__suggest a").click()
    expect(page).to_have_url(re.compile(r"/suggest/\?section="))
    expect(page.locator("h1")).to_have_text("Suggest an entry")
    expect(page.locator("#id_section option:checked")).to_have_text(heading)
    # The honeypot is in the form but out of sight.
    expect(page.locator("#id_website")).not_to_be_in_viewport()

    page.fill("#id_url", LINK)
    page.fill("#id_title", TITLE)
    page.fill("#id_annotation", "How many connections each worker really needs, measured.")
    page.fill("#id_email", "reader@example.com")
    page.check("#id_credit")
    page.fill("#id_credit_name", "Ada")
    screenshot(page, "suggestion-form")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    expect(page.get_by_role("status")).to_contain_text(f"Your suggestion for “{heading}”")
    screenshot(page, "suggestion-sent")

    # The editor: the dashboard counts it, the queue lists it, one click accepts it.
    log_in(page)
    panel = page.locator("#suggestions-section")
    expect(panel).to_contain_text(re.compile(r"\d+ suggestions? from readers waiting"))
    panel.get_by_role("link", name="Open the queue").click()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("body")).to_contain_text("reader@example.com")
    page.get_by_role("button", name="Accept into a draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_contain_text("is in a new draft of")
    expect(page.locator("[data-contentpath='entries']")).to_contain_text(TITLE)
    screenshot(page, "suggestion-accepted-draft")

    # Until it is published readers do not see it; then it is in its section and in the log.
    reader = page.context.browser.new_page(base_url=page.url.split("/admin/")[0])
    reader.goto(COMPILATION)
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
    publish(page)
    reader.goto(COMPILATION)
    section = reader.locator("section.section").first
    entry = section.get_by_role("link", name=TITLE)
    expect(entry).to_have_attribute("href", LINK)
    expect(section).to_contain_text("(suggested by Ada)")
    reader.goto(COMPILATION + "changes/")
    expect(reader.locator(".changes__list").first).to_contain_text(f"Added {TITLE} to {heading}")
    reader.close()
    assert console_errors == []

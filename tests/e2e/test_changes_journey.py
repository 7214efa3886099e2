"""A reader follows what changed in the compilation, in a real browser."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

KEY = "changesSeen:/django-at-scale-in-production/"


def test_reader_sees_what_is_new_since_the_last_visit(page, console_errors):
    page.goto("/django-at-scale-in-production/")
    page.get_by_role("link", name="What changed").click()
    expect(page).to_have_url(re.compile(r"/django-at-scale-in-production/changes/$"))
    expect(page.locator("h1")).to_have_text("What changed")
    publishes = page.locator("[data-publish-id]")
    expect(publishes.first).to_be_visible()

    # A first visit marks nothing and remembers the newest publish shown.
    expect(page.locator(".publish--new")).to_have_count(0)
    expect(page.locator("[data-changes-since]")).to_be_hidden()
    newest = int(publishes.first.get_attribute("data-publish-id"))
    assert page.evaluate(f"localStorage.getItem('{KEY}')") == str(newest)

    # As if the last visit came before the newest publish: that one is marked new.
    page.evaluate(f"localStorage.setItem('{KEY}', '{newest - 1}')")
    page.reload()
    expect(page.locator(".publish--new")).to_have_count(1)
    expect(publishes.first).to_have_class(re.compile(r"\bpublish--new\b"))
    expect(publishes.first.get_by_text("New since your last visit")).to_be_visible()
    expect(page.locator("[data-changes-since]")).to_have_text("1 publish since your last visit.")
    screenshot(page, "changes-new-since-last-visit")

    # The next visit has seen it.
    page.reload()
    expect(page.locator(".publish--new")).to_have_count(0)
    expect(page.locator("[data-changes-since]")).to_have_text("Nothing new since your last visit.")

    # Each change links to its section on the compilation.
    link = page.locator(".changes__list a").first
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    expect(page.locator(f"section#{anchor}")).to_be_in_viewport()
    assert console_errors == []

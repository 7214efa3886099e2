"""A visitor searches: suggestions while typing, then full results, then a topic filter.

Written against the search UI's DOM contract (header input #site-search in form.search-form,
suggestions in ul#search-suggestions[role=listbox], results in ol.results > li.result with a
.result__title link, topic filters in nav.search-filters). The search UI lands in another branch;
until static/js/search.js exists this journey is skipped.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot


def test_visitor_types_picks_a_suggestion_then_searches_and_filters(page, console_errors):
    page.goto("/")
    box = page.locator("form.search-form input#site-search[name='q']")

    # Suggestions appear while typing (from two characters, debounced).
    box.press_sequentially("cach", delay=80)
    suggestions = page.locator("ul#search-suggestions[role='listbox']")
    expect(suggestions).to_be_visible()
    options = suggestions.locator("li[role='option']")
    expect(options.first).to_be_visible()
    expect(options.first.locator(".suggestion-type")).not_to_be_empty()

    # Picking a suggestion opens it.
    first = options.first.locator("a")
    title = first.inner_text().strip()
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("h1")).to_contain_text(title)

    # A full search lists results; a topic filter narrows them.
    box = page.locator("form.search-form input#site-search[name='q']")
    box.fill("cache")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=cache"))
    results = page.locator("ol.results > li.result")
    expect(results.first.locator("a.result__title")).to_be_visible()
    unfiltered = results.count()
    screenshot(page, "search-results")

    topic = page.locator("nav.search-filters a").first
    topic.click()
    expect(page).to_have_url(re.compile(r"[?&]topic="))
    expect(results.first.locator("a.result__title")).to_be_visible()
    assert results.count() <= unfiltered

    assert console_errors == []

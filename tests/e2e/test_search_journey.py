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


def test_suggestions_find_words_anywhere_and_end_with_a_full_search(page, console_errors):
    page.goto("/")
    box = page.locator("form.search-form input#site-search[name='q']")
    options = page.locator("ul#search-suggestions li[role='option']")

    # "redis" is a tag of two posts, in neither title's first word.
    box.press_sequentially("redis", delay=60)
    expect(options.filter(has_text="Caching Django at scale")).to_have_count(1)
    expect(options.filter(has_text="Background tasks without surprises")).to_have_count(1)
    last = options.last
    expect(last).to_have_class(re.compile(r"\bsuggestion-search\b"))
    expect(last).to_have_text("Search for “redis”")

    # "n+1" finds the posts that talk about N+1 queries.
    box.fill("")
    box.press_sequentially("n+1", delay=60)
    expect(options.filter(has_text="The ORM and query performance")).to_have_count(1)
    expect(options.last).to_have_text("Search for “n+1”")

    # The keyboard reaches the closing row (ArrowUp from the box wraps to it) and Enter runs
    # the full search.
    box.fill("")
    box.press_sequentially("celery", delay=60)
    expect(options.last).to_have_text("Search for “celery”")
    box.press("ArrowUp")
    expect(options.last).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.last.get_attribute("id"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=celery$"))
    expect(page.locator("ol.results > li.result").first).to_be_visible()

    assert console_errors == []

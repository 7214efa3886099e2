"""A reader works through the compilation in a real browser."""

import re

from playwright.sync_api import expect


def test_reader_works_through_the_compilation(page, console_errors):
    # Lands on the home page and opens the compilation.
    page.goto("/")
    expect(page.locator("h1")).to_have_count(1)
    page.get_by_role("link", name="Read the compilation").click()
    expect(page).to_have_url(re.compile(r"/django-at-scale-in-production/$"))

    # Jumps through the table of contents to the third section.
    third = page.locator(".toc li a").nth(2)
    anchor = third.get_attribute("href")
    third.click()
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(page.locator(f"section{anchor}")).to_be_in_viewport()

    # Ticks two entries as read, in two sections; progress shows per section and in total.
    sections = page.locator("section.section")
    first_box = sections.nth(0).locator(".entry__checkbox").first
    second_box = sections.nth(2).locator(".entry__checkbox").nth(1)
    first_box.check()
    second_box.check()
    first_total = sections.nth(0).locator("li.entry").count()
    expect(sections.nth(0).locator(".section__progress")).to_have_text(f"1 of {first_total} read")
    expect(page.locator("[data-progress-total]")).to_be_visible()
    expect(page.locator("[data-progress-total]")).to_contain_text(re.compile(r"\b2 of \d+ read"))

    # Still ticked after a reload (the state lives in this browser).
    page.reload()
    expect(page.locator(".entry__checkbox:checked")).to_have_count(2)
    expect(sections.nth(0).locator(".entry__checkbox").first).to_be_checked()
    expect(sections.nth(2).locator(".entry__checkbox").nth(1)).to_be_checked()
    expect(page.locator("li.entry--read")).to_have_count(2)

    # Follows an entry to a post, then goes to the next post.
    entry = page.locator("li.entry--post a.entry__title").first
    title = entry.inner_text()
    entry.click()
    expect(page.locator("h1")).to_have_text(title)
    next_link = page.locator(".post-nav a[rel=next]")
    next_href = next_link.get_attribute("href")
    next_title = next_link.inner_text().replace("Next →", "").strip()
    next_link.click()
    expect(page).to_have_url(re.compile(re.escape(next_href) + "$"))
    expect(page.locator("h1")).to_have_text(next_title)

    # Opens the post's topic archive.
    topic = page.locator(".article-header .eyebrow a")
    topic_name = topic.text_content().strip()
    topic.click()
    expect(page).to_have_url(re.compile(r"/topics/[\w-]+/$"))
    expect(page.locator("h1")).to_have_text(topic_name)
    expect(page.locator(".post-card").first).to_be_visible()

    assert console_errors == []


def test_clearing_ticks_resets_progress(page, console_errors):
    page.goto("/django-at-scale-in-production/")
    page.locator(".entry__checkbox").first.check()
    total = page.locator("[data-progress-total]")
    expect(total).to_contain_text("1 of")

    total.get_by_role("button", name="Clear ticks").click()

    expect(page.locator(".entry__checkbox:checked")).to_have_count(0)
    expect(total).to_contain_text("0 of")
    page.reload()
    expect(page.locator(".entry__checkbox:checked")).to_have_count(0)
    assert console_errors == []


def test_heading_anchor_copies_a_link(page, console_errors):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/django-at-scale-in-production/")
    page.locator(".post-body, .compilation").first.wait_for()
    entry = page.locator("li.entry--post a.entry__title").first
    entry.click()
    anchor = page.locator(".post-body h2 a.anchor").first
    href = anchor.get_attribute("href")

    anchor.click()

    expect(page.locator(".copy-status")).to_have_text("Link copied to the clipboard")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url.split("#")[0] + href
    assert console_errors == []


def test_without_javascript_the_compilation_is_a_plain_list(browser, live_url):
    context = browser.new_context(base_url=live_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/django-at-scale-in-production/")
        expect(page.locator("ol.entries > li.entry").first).to_be_visible()
        expect(page.locator(".entry__checkbox")).to_have_count(0)
        expect(page.locator("[data-progress-total]")).to_be_hidden()
        anchor = page.locator("section.section h2 a.anchor").first
        href = anchor.get_attribute("href")
        anchor.click()
        assert page.url.endswith(href)
    finally:
        context.close()


COMPILATION = "/django-at-scale-in-production/"


def test_wide_screen_contents_stay_beside_the_text_and_follow_the_section_read(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(COMPILATION)
    toc = page.locator(".compilation > .toc")
    column = page.locator(".compilation > .prose").first
    assert toc.bounding_box()["x"] > column.bounding_box()["x"] + column.bounding_box()["width"]

    fifth = page.locator("section.section").nth(4)
    fifth.locator("h2").scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)

    expect(toc).to_be_in_viewport()
    anchor = fifth.get_attribute("id")
    expect(toc.locator(f'a[href="#{anchor}"]')).to_have_attribute("aria-current", "location")
    expect(toc.locator("a[aria-current]")).to_have_count(1)


def test_contents_show_the_ticks_per_section(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(COMPILATION)
    first = page.locator("section.section").first
    total = first.locator("li.entry").count()

    first.locator(".entry__checkbox").first.check()

    link = page.locator(f'.toc a[href="#{first.get_attribute("id")}"]')
    expect(link.locator("xpath=..").locator(".toc__progress")).to_have_text(f"1/{total}")


def test_progress_line_does_not_move_the_intro(browser, live_url):
    tops = []
    for javascript in (False, True):
        context = browser.new_context(
            base_url=live_url,
            viewport={"width": 390, "height": 844},
            java_script_enabled=javascript,
        )
        tab = context.new_page()
        tab.goto(COMPILATION)
        if javascript:
            expect(tab.locator("[data-progress-total]")).to_be_visible()
        tops.append(tab.locator(".compilation > .prose").first.bounding_box()["y"])
        context.close()

    assert tops[0] == tops[1]

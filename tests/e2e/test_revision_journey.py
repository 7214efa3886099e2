"""An editor changes one entry's annotation in a section's editor (a section is a page of its
own), saves a draft and compares it with the revision they started from: the compare view shows
that entry and folds the rest. (Not with the live version: other journeys may have left drafts
of their own.)"""

import re

from playwright.sync_api import expect

from tests.e2e.test_editor_journey import log_in, page_id, save_draft

NEW_ANNOTATION = "One sharper line on why this is worth reading."


def test_compare_of_a_one_entry_change_shows_only_that_entry(page, console_errors):
    log_in(page)
    compilation_id = page_id(page, "blog.CompilationPage")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/admin/pages/{compilation_id}/edit/")
    # From the compilation's list of sections to the first section's editor.
    page.locator(".compilation-sections__item a").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    section_id = re.search(r"/pages/(\d+)/edit/", page.url)[1]
    entries = page.locator("[data-contentpath='entries']").first
    annotation = entries.locator("[name$='-value-annotation']").first
    expect(annotation).to_be_visible()
    started_from = page.locator("input[name='loaded_revision_id']").input_value()
    untouched = entries.locator("[name$='-value-annotation']").nth(1).input_value()
    annotation.fill(NEW_ANNOTATION)
    save_draft(page)
    expect(page.locator(".messages")).to_contain_text("updated")

    page.goto(f"/admin/pages/{section_id}/revisions/compare/{started_from}...latest/")

    comparison = page.locator("main")
    expect(comparison).to_contain_text(NEW_ANNOTATION)
    # The entry next to it, unchanged, is folded away with the section's other entries.
    expect(comparison).not_to_contain_text(untouched)
    summaries = comparison.locator("details.comparison__folded summary")
    expect(summaries.filter(has_text=re.compile(r"^\d+ entries unchanged$"))).to_have_count(1)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    folded = comparison.locator("details.comparison__folded").last
    folded.locator("summary").click()
    expect(folded.locator("li").first).to_be_visible()
    assert console_errors == []

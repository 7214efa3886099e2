"""The compilation editor lists its sections (pages of their own) with their entry counts and
reviewed dates; a section's editor summarises its entries, marks a broken link where it sits,
labels "Add entry", gives annotations a box of a few lines and keeps what was typed after Save
draft; a new section is reviewed today."""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.conftest import run_manage
from tests.e2e.test_editor_journey import log_in, page_id, save_draft

BROKEN_URL = "https://docs.djangoproject.com/en/5.2/misc/design-philosophies/"
# The last link check found one of the first section's links broken.
RECORD_A_BROKEN_LINK = (
    "from linkhealth.models import LinkCheck, Outcome; "
    f"LinkCheck.objects.update_or_create(url={BROKEN_URL!r}, defaults=dict("
    "host='docs.djangoproject.com', outcome=Outcome.CLIENT_ERROR, status_code=404))"
)


def test_compilation_editor_lists_sections_and_a_section_editor_says_what_is_where(
    page, site_env, console_errors
):
    run_manage(site_env, "shell", "-c", RECORD_A_BROKEN_LINK)
    log_in(page)
    compilation_id = page_id(page, "blog.CompilationPage")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/admin/pages/{compilation_id}/edit/")
    # The compilation's sections, in reading order, each with its entries and reviewed date.
    items = page.locator(".compilation-sections__item")
    assert items.count() > 5
    expect(items.first).to_contain_text(
        re.compile(r"\d+ entr(y|ies) · reviewed \d{4}-\d{2}-\d{2} · live")
    )
    expect(page.get_by_role("link", name="Add section")).to_be_visible()
    expect(page.locator("[data-contentpath='body']")).to_have_count(0)

    # The first section's own editor: its entries summarised, the broken link marked.
    items.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    summary = page.locator(".section-summary")
    expect(summary).to_contain_text(
        re.compile(r"· \d+ entr(y|ies) · reviewed \d{4}-\d{2}-\d{2} · 1 broken link")
    )
    # The broken-link warning is one line, and the form starts close below it.
    banner = page.locator(".messages").bounding_box()["height"]
    title_top = page.locator(".w-field[data-contentpath='title']").first.bounding_box()["y"]
    assert banner < 80, banner
    assert title_top < 260, title_top
    mark = page.locator("[data-contentpath='entries'] .entry-link-status--broken")
    expect(mark).to_have_count(1)
    expect(mark).to_contain_text("Broken link: Client error (4xx) (404)")
    expect(page.get_by_role("button", name="Add entry").first).to_be_visible()
    annotations = page.locator("textarea[name$='-value-annotation']")
    expect(annotations.first).to_have_attribute("rows", "3")
    last = annotations.last
    last.fill("Kept after saving.")
    save_draft(page)
    expect(page.locator(".messages")).to_contain_text("updated")
    expect(page.locator("textarea[name$='-value-annotation']").last).to_have_value(
        "Kept after saving."
    )

    # A section added today is reviewed today.
    page.goto(f"/admin/pages/{compilation_id}/edit/")
    page.get_by_role("link", name="Add section").click()
    expect(page.locator("input[name='reviewed']")).to_have_value(datetime.date.today().isoformat())
    assert console_errors == []

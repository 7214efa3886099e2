"""The compilation editor: collapsed sections say how many entries they hold and when they were
reviewed, the "+" buttons say what they add, annotations get a box of a few lines, a new
section is reviewed today, and after Save draft the section being edited is open and in view."""

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

SECTION_TOGGLES = """() => Array.from(document.querySelectorAll(".section-block"))
    .map(block => block.closest("section.w-panel[data-panel]"))
    .filter((panel, i, all) => panel && all.indexOf(panel) === i)
    .map(panel => panel.querySelector(":scope > .w-panel__header [data-panel-toggle]")
        .getAttribute("aria-controls"))"""


def test_compilation_editor_keeps_the_section_open_and_says_what_is_where(
    page, site_env, console_errors
):
    run_manage(site_env, "shell", "-c", RECORD_A_BROKEN_LINK)
    log_in(page)
    compilation_id = page_id(page, "blog.CompilationPage")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/admin/pages/{compilation_id}/edit/")
    expect(page.locator(".section-summary").first).to_contain_text(
        re.compile(r"· \d+ entr(y|ies) · reviewed \d{4}-\d{2}-\d{2}")
    )
    expect(page.get_by_role("button", name="Add section").first).to_be_visible()

    controls = page.evaluate(SECTION_TOGGLES)
    assert len(controls) > 5

    # One toggle for the sections says what it will do.
    sections_toggle = page.locator(".sections-toggle")
    expect(sections_toggle).to_have_text("Expand all")
    expect(page.locator(".w-minimap__collapse-all")).to_be_hidden()
    # The broken-link warning is one line, and the form starts close below it (stacked
    # banners naming every URL pushed it 235 px further down).
    banner = page.locator(".messages").bounding_box()["height"]
    title_top = page.locator(".w-field[data-contentpath='title']").first.bounding_box()["y"]
    assert banner < 80, banner
    assert title_top < 260, title_top

    # The broken link is counted on its collapsed section and marked on its entry.
    first = page.locator(f"[aria-controls='{controls[0]}']")
    header = first.locator("xpath=..").locator(".section-summary")
    expect(header).to_contain_text("· 1 broken link")
    first.click()
    expect(sections_toggle).to_have_text("Collapse all")
    mark = page.locator(f"#{controls[0]} .entry-link-status--broken")
    expect(mark).to_have_count(1)
    expect(mark).to_contain_text("Broken link: Client error (4xx) (404)")
    first.click()
    expect(sections_toggle).to_have_text("Expand all")
    target = controls[4]
    toggle = page.locator(f"[aria-controls='{target}']")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    content = page.locator(f"#{target}")
    expect(content.get_by_role("button", name="Add entry").first).to_be_visible()
    annotation = content.locator("textarea[name$='-value-annotation']").first
    expect(annotation).to_have_attribute("rows", "3")
    annotation.fill("Kept open after saving.")
    save_draft(page)
    expect(page.locator(".messages")).to_contain_text("updated")

    # Back after the reload: the same section open, in view; the others still collapsed.
    toggle = page.locator(f"[aria-controls='{target}']")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"[aria-controls='{controls[3]}']")).to_have_attribute(
        "aria-expanded", "false"
    )
    page.wait_for_function(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight; }""",
        arg=target,
    )
    expect(page.locator(f"#{target} textarea[name$='-value-annotation']").first).to_have_value(
        "Kept open after saving."
    )

    # A section added today is reviewed today.
    page.get_by_role("button", name="Add section").last.click()
    reviewed = page.locator("[data-contentpath='body'] input[name$='-value-reviewed']").last
    expect(reviewed).to_have_value(datetime.date.today().isoformat())

    # The toggle closes every open section, then opens them all.
    expect(sections_toggle).to_have_text("Collapse all")
    sections_toggle.click()
    expect(sections_toggle).to_have_text("Expand all")
    expect(page.locator(f"[aria-controls='{target}']")).to_have_attribute("aria-expanded", "false")
    sections_toggle.click()
    expect(sections_toggle).to_have_text("Collapse all")
    for control in controls:
        expect(page.locator(f"[aria-controls='{control}']")).to_have_attribute(
            "aria-expanded", "true"
        )
    assert console_errors == []

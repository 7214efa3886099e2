"""An editor schedules a post for 15 January 2027 without giving it a date: the preview and,
once the scheduled publishing has run, readers see it dated 15 January 2027."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import run_manage
from tests.e2e.test_editor_journey import add_block, log_in, page_id

TITLE = "Scheduled for the new year"
SLUG = "scheduled-for-the-new-year"
# Wagtail's scheduled publishing, run as its cron job would on the morning of the go-live.
PUBLISH_ON_THE_DAY = (
    "import datetime; from unittest import mock; from django.core.management import call_command; "
    "moment = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC); "
    "patch = mock.patch('django.utils.timezone.now', return_value=moment); "
    "patch.start(); call_command('publish_scheduled'); patch.stop()"
)


def test_a_scheduled_post_shows_its_go_live_date(page, site_env, console_errors):
    log_in(page)
    index_id = page_id(page, "blog.TopicIndexPage")
    page.goto(f"/admin/pages/add/blog/topicpostpage/{index_id}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Written in December, out in January.")
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill(SLUG)
    page.get_by_role("tab", name="Content").click()
    page.get_by_role("radio", name="Databases and the ORM").check()
    expect(page.locator("#id_date")).to_have_value("")
    body = page.locator("#panel-child-content-body-content")
    add_block(page, body, "Markdown")
    body.locator(".CodeMirror").first.click()
    page.keyboard.type("## What changes\n\nA new year, a new release.")

    # Schedule it from the status side panel, then publish.
    page.locator("button[data-side-panel-toggle='status']").click()
    page.get_by_role("button", name=re.compile("Set schedule|Edit schedule", re.I)).click()
    go_live = page.locator("#id_go_live_at")
    # Typed in without the picker's calendar, which would cover the dialog's button.
    go_live.evaluate(
        "(input, value) => { input.value = value;"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }",
        "2027-01-15 09:00",
    )
    # "Save schedule" saves the draft; "Schedule to publish" in the footer makes it effective.
    with page.expect_navigation(wait_until="load", timeout=60_000):
        page.get_by_role("button", name="Save schedule").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.locator("footer .w-dropdown__toggle.button").click()
    with page.expect_navigation(wait_until="load", timeout=60_000):
        page.locator("button[name='action-publish']").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("scheduled")

    # Before the day, the preview already shows the date readers will see.
    edit_link = messages.locator("a[href*='/edit/']").first.get_attribute("href")
    post_id = re.search(r"/pages/(\d+)/", edit_link).group(1)
    page.goto(f"/admin/pages/{post_id}/view_draft/")
    expect(page.locator("article time").first).to_have_text("15 January 2027")
    assert page.request.get(f"/posts/{SLUG}/").status == 404

    run_manage(site_env, "shell", "-c", PUBLISH_ON_THE_DAY)

    reader = page.context.browser.new_page()
    try:
        reader.goto(page.url.split("/admin/")[0] + f"/posts/{SLUG}/")
        expect(reader.locator("h1")).to_have_text(TITLE)
        expect(reader.locator("article time").first).to_have_text("15 January 2027")
        expect(reader.locator("article time").first).to_have_attribute("datetime", "2027-01-15")
    finally:
        reader.close()
    assert console_errors == []

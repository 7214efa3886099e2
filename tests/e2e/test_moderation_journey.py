"""A moderator opens a writer's submitted post and approves it with one click: Approve is the
editor's primary button, and the message says the post was approved and published."""

import re

from playwright.sync_api import expect

from tests.e2e.sample_content import MODERATOR, SUBMITTED_SLUG
from tests.e2e.test_editor_journey import page_id


def log_in_as(page, account):
    page.goto("/admin/login/")
    page.fill("#id_username", account["username"])
    page.fill("#id_password", account["password"])
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_moderator_approves_a_submission_with_one_click(page, console_errors):
    assert page.request.get(f"/posts/{SUBMITTED_SLUG}/").status == 404
    log_in_as(page, MODERATOR)
    # The post is not live, so the API does not list it: find it in the admin's own search.
    page.goto(f"/admin/pages/search/?q={SUBMITTED_SLUG.replace('-', ' ')}")
    page.get_by_role("link", name="Waiting for review").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))

    primary = page.locator("footer .w-dropdown-button > button").first
    expect(primary).to_have_text(re.compile(r"^\s*Approve and Publish\s*$"))
    with page.expect_navigation(wait_until="load"):
        primary.click()

    expect(page.locator(".messages")).to_contain_text(
        "“Waiting for review” approved and published."
    )
    expect(page.locator(".messages")).not_to_contain_text("has been updated")
    assert page.request.get(f"/posts/{SUBMITTED_SLUG}/").status == 200
    assert page_id(page, "blog.TopicPostPage", SUBMITTED_SLUG)
    assert console_errors == []

"""A reader subscribes from the footer, confirms from the mail's link and leaves again, in a real
browser. The journeys' site keeps its mail in memory, so the links are the ones the mail would
carry, built from the subscriber's stored key."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import run_manage, screenshot

LINKS = (
    "from subscriptions.models import Subscriber; from subscriptions import tokens; "
    "s = Subscriber.objects.get(email='journey@example.com'); "
    "print(tokens.confirmation_token(s.key, s.frequency)); print(tokens.unsubscribe_token(s.key))"
)


def test_reader_subscribes_confirms_and_unsubscribes(page, site_env, console_errors):
    page.goto("/")
    page.get_by_role("link", name="Subscribe by e-mail").click()
    expect(page).to_have_url(re.compile(r"/subscribe/$"))
    page.get_by_label("Your e-mail address").fill("journey@example.com")
    page.get_by_label("A weekly digest").check()
    screenshot(page, "subscribe-form")
    page.get_by_role("button", name="Subscribe").click()

    expect(page.locator("h1")).to_have_text("Check your inbox")
    expect(page.get_by_text("journey@example.com")).to_have_count(0)

    # The shell may print its own lines first: the links are the last two.
    confirm, unsubscribe = run_manage(site_env, "shell", "-c", LINKS).stdout.split()[-2:]
    page.goto(f"/subscribe/confirm/{confirm}/")
    expect(page.locator("h1")).to_have_text("Confirm your subscription")
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.locator("h1")).to_have_text("You are subscribed")
    expect(page.get_by_text("a weekly digest")).to_be_visible()

    page.goto(f"/subscribe/confirm/{confirm[:-3]}abc/")
    expect(page.locator("h1")).to_have_text("This link does not work")

    page.goto(f"/subscribe/unsubscribe/{unsubscribe}/")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You are unsubscribed")
    # The tampered link answered 400; nothing else in the journey logged an error.
    assert [error for error in console_errors if "400" not in error] == []

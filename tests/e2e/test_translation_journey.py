"""A reader switches the compilation to French and back without losing their place."""

import re

from playwright.sync_api import expect


def test_reader_switches_to_french_and_back_keeping_the_section(page, console_errors):
    page.goto("/django-at-scale-in-production/#caching")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/django-at-scale-in-production/#caching$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("section#caching h2")).to_contain_text("Le cache")
    expect(page.locator("section#caching")).to_be_in_viewport()
    # Posts not translated yet are linked in English, and say so.
    expect(page.locator("section#caching .entry__language").first).to_have_text("(en)")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/django-at-scale-in-production/#caching$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("section#caching h2")).to_contain_text("Caching")
    assert console_errors == []


def test_french_reader_ticks_an_entry_and_reads_the_progress_in_french(page, console_errors):
    page.goto("/fr/django-at-scale-in-production/")
    expect(page.locator("[data-progress-total]")).to_contain_text("Votre progression : 0 sur")
    page.locator(".entry__checkbox").first.check()
    expect(page.locator(".section__progress").first).to_contain_text("1 sur")
    expect(page.locator("[data-progress-total] button")).to_have_text("Effacer les coches")
    page.locator("[data-progress-total] button").click()
    # The English compilation keeps its English words.
    page.goto("/django-at-scale-in-production/")
    expect(page.locator("[data-progress-total]")).to_contain_text("Your progress: 0 of")
    assert console_errors == []

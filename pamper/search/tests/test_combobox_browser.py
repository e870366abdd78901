"""The search boxes' suggestions in a real browser, used with the keyboard only (ARIA combobox, issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggestions_are_a_combobox_driven_by_the_keyboard(page, live_server, london) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/search/")
    what = page.get_by_role("combobox", name="What")
    expect(what).to_have_attribute("aria-expanded", "false")
    what.press_sequentially("mesot", delay=20)
    listbox = page.locator("#search-q-listbox")
    expect(what).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_have_attribute("role", "listbox")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Mesotherapy")

    what.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(what).to_have_attribute("aria-activedescendant", first_id)
    expect(options.first).to_have_attribute("aria-selected", "true")
    what.press("Escape")
    expect(what).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    what.press("ArrowDown")  # opens again
    expect(what).to_have_attribute("aria-expanded", "true")
    what.press("ArrowDown")
    what.press("Enter")  # takes the option, does not submit
    expect(what).to_have_attribute("aria-expanded", "false")
    expect(what).to_have_value(re.compile("mesotherapy", re.IGNORECASE))
    expect(page).to_have_url(re.compile(r"/search/$"))

    where = page.get_by_role("combobox", name="Where")
    where.press_sequentially("Lond", delay=20)
    expect(page.locator("#search-near-listbox").get_by_role("option").first).to_contain_text("London")
    where.press("ArrowDown")
    where.press("Enter")
    expect(where).to_have_value(re.compile(r"^London, United Kingdom"))
    where.press("Enter")  # now the form is sent
    expect(page.locator("#search-results .search-result").first).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("Mesotherapy")


def test_a_treatment_with_no_place_asks_where(page, live_server, london) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(f"{live_server.url}/search/?q=mesotherapy")
    assert response is not None and response.status == 200
    ask = page.locator("[data-search-ask-where]")
    expect(ask).to_contain_text("Where should we look?")
    expect(ask.get_by_role("link", name=re.compile("guide to Mesotherapy"))).to_be_visible()
    expect(page.locator("#search-near")).to_be_focused()


def test_one_box_and_a_group_with_chips(page, live_server, london) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/search/")
    page.get_by_role("combobox", name="What").fill("aesthetics london")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#search-results")
    expect(results).to_contain_text("near London")
    chips = results.get_by_role("navigation", name="Narrow to one treatment").get_by_role("link")
    expect(chips.filter(has_text="Mesotherapy")).to_have_count(1)
    chips.filter(has_text="Mesotherapy").click()
    expect(results).to_contain_text("Showing Mesotherapy")
    expect(results.locator(".search-result")).to_have_count(4)

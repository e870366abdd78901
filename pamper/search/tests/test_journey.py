"""Browser journey: from the home page, a misspelt treatment and a town, to a venue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_from_home_filter_by_price_and_open_a_venue(page, live_server, london) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_label("What").fill("mesotherepy")
    page.get_by_label("Where").fill("London")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/search/\?.*q=mesotherepy"))
    results = page.locator("#search-results")
    expect(results).to_contain_text("Showing Mesotherapy for 'mesotherepy'")
    cards = results.locator(".search-result")
    expect(cards).to_have_count(4)
    expect(results).to_contain_text("Greenwich Glow")
    expect(page.locator("#search-map .leaflet-marker-icon")).to_have_count(4)

    # A price cap updates the list in place and the address keeps up with it.
    page.get_by_label("Price up to").fill("130")
    page.get_by_label("Price up to").press("Tab")
    expect(cards).to_have_count(2)
    expect(results).not_to_contain_text("Greenwich Glow")
    expect(page).to_have_url(re.compile(r"price_max=130"))
    expect(page.locator("#search-map .leaflet-marker-icon")).to_have_count(2)

    # The shared address shows the same filtered list.
    page.goto(page.url)
    expect(page.locator("#search-results .search-result")).to_have_count(2)

    page.locator("#search-results").get_by_role("link", name="Soho Skin").click()
    expect(page).to_have_url(re.compile(r"/venues/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Soho Skin")

"""In Chromium: the guide page's "Use my location" fills lat/lng and searches near the visitor."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from pamper.catalog.loader import load_catalogue


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "geolocation": {"latitude": 51.5072, "longitude": -0.1276},
            "permissions": ["geolocation"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_use_my_location_searches_near_the_visitor_for_the_chosen_variant(live_server, page):
    load_catalogue()
    page.goto(f"{live_server.url}/treatments/mesotherapy/")
    assert page.get_by_role("heading", name="Mesotherapy", level=1).is_visible()
    page.get_by_label("Treatment").select_option("Mesotherapy needle-free")

    with page.expect_request(lambda r: "/search/" in r.url) as searched:
        page.get_by_role("button", name="Use my location").click()

    query = parse_qs(urlsplit(searched.value.url).query)
    assert query["q"] == ["Mesotherapy needle-free"]
    assert query["lat"] == ["51.50720"] and query["lng"] == ["-0.12760"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typed_place_sends_no_empty_coordinates(live_server, page):
    load_catalogue()
    page.goto(f"{live_server.url}/treatments/eyebrow-tint/")
    page.get_by_label("Town, city or postcode").fill("Leeds")

    with page.expect_request(lambda r: "/search/" in r.url) as searched:
        page.get_by_role("button", name="Search", exact=True).click()

    query = parse_qs(urlsplit(searched.value.url).query, keep_blank_values=True)
    assert query == {"q": ["Eyebrow tint"], "near": ["Leeds"]}

"""Browser journey: a landing page's venues, map, questions and JSON-LD, then on to booking a venue."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from pamper.tests.factories import StaffFactory
from pamper.venues.models import Service

from .conftest import build_towns
from .structured import problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_landing_page_to_booking(page, live_server) -> None:  # type: ignore[no-untyped-def]
    venues = build_towns()
    soho = venues["Soho Skin"]
    StaffFactory(venue=soho, services=list(Service.objects.filter(venue=soho)), shifts=[("09:00", "18:00")])

    page.goto(f"{live_server.url}/treatments/mesotherapy/in/london/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mesotherapy in London")
    expect(page.get_by_test_id("landing-summary")).to_contain_text("3 venues in London")
    cards = page.locator(".landing-venue")
    expect(cards).to_have_count(3)
    expect(page.locator(".landing-venues")).not_to_contain_text("Paris Peau")

    # The map shows one marker per venue listed (Leaflet runs; tiles are not needed).
    expect(page.locator("#landing-map")).to_be_visible()
    expect(page.locator("#landing-map .leaflet-marker-icon")).to_have_count(3)

    # The questions: the first is open, the others open on a click.
    faq = page.locator(".landing-faq details")
    expect(faq).to_have_count(6)
    expect(faq.first).to_contain_text("How much does Mesotherapy cost in London?")
    safety = page.locator('details[data-faq="safety"]')
    safety.locator("summary").click()
    expect(safety.locator("p")).to_contain_text("patch (allergy) test")

    # The JSON-LD the browser sees parses and validates.
    blocks = [json.loads(text) for text in page.locator('script[type="application/ld+json"]').all_text_contents()]
    assert {b["@type"] for b in blocks} >= {"BreadcrumbList", "ItemList", "FAQPage", "Service"}
    assert all(problems(b) == [] for b in blocks)

    # On to a venue and its booking page.
    page.locator(".landing-venues").get_by_role("link", name="Soho Skin").click()
    expect(page).to_have_url(re.compile(rf"/venues/{soho.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Soho Skin")
    page.get_by_role("link", name="Book Mesotherapy").click()
    expect(page).to_have_url(re.compile(rf"/venues/{soho.slug}/book/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book at Soho Skin")

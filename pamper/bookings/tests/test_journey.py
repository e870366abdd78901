"""In Chromium: from the venue page, choose a service, a day and a time, sign in, book, see it, cancel it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pamper.bookings.models import Booking, Status
from pamper.lib import clock

from . import helpers as h


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_book_a_visit_from_the_venue_page_then_cancel_it(live_server, page):
    shop = h.shop()
    h.customer("journey@example.com")
    day = clock.now().astimezone(shop.venue.tz).date() + dt.timedelta(days=3)

    page.goto(f"{live_server.url}/venues/{shop.venue.slug}/")
    page.get_by_role("link", name="Book Cut and finish").click()
    expect(page.get_by_role("heading", name=f"Book at {shop.venue.name}")).to_be_visible()
    expect(page.get_by_text("Times are the venue's local time", exact=False).first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Europe/London")  # a zone is named for people, not as an id

    # Pick a day three days ahead: htmx swaps the slot grid in place.
    page.locator(f"label.day:has(input[value='{day:%Y-%m-%d}'])").click()
    expect(page.locator("#slots-title")).to_contain_text(f"{day:%A} {day.day} {day:%B}")
    assert "day=" in page.url  # the URL follows the form
    page.locator("#slots").get_by_role("button", name="10:00", exact=True).click()

    # Not signed in yet: sign in on the way.
    expect(page.get_by_role("heading", name="Almost there")).to_be_visible()
    form = page.locator("#signin-form")
    form.get_by_label("Email").fill("journey@example.com")
    form.get_by_label("Password").fill(h.PASSWORD)
    form.get_by_role("button", name="Sign in and continue").click()

    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    expect(page.locator("[data-hold-left]")).to_contain_text("left")
    page.get_by_label("Notes").fill("First visit")
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_test_id("status")).to_have_text("Confirmed")
    when = f"{day:%a} {day.day} {day:%b %Y}, 10:00"
    expect(page.get_by_test_id("when")).to_contain_text(when)
    expect(page.get_by_test_id("when")).not_to_contain_text("Europe/London")

    page.get_by_role("link", name="My bookings").first.click()
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text(shop.venue.name)
    expect(upcoming).to_contain_text(when)

    upcoming.get_by_text("Cancel", exact=True).click()
    upcoming.get_by_label("Reason (optional)").fill("Plans changed")
    upcoming.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_test_id("status")).to_have_text("Cancelled")
    expect(page).to_have_url(re.compile(r"/bookings/\d+/$"))
    booking = Booking.objects.get()
    assert (booking.status, booking.notes, booking.cancel_reason) == (Status.CANCELLED, "First visit", "Plans changed")

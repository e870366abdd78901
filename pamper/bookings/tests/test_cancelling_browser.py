"""Issue 18, point 6 in Chromium, on a desktop and a 390 px phone: a late booking says so at checkout, and a move
asks "from -> to" before it happens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pamper.bookings import actions
from pamper.bookings.models import Booking
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in

from . import helpers as h


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_late_checkout_warning_and_move_confirmation(live_server, page, frozen):
    shop = h.shop()
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        customer = h.customer()
        sign_in(page, live_server.url, customer)
        held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 4, 13),
                                  customer=customer, staff=shop.anna if width == "desktop" else shop.ben)
        page.goto(f"{live_server.url}/bookings/{held.pk}/checkout/")
        expect(page.locator("#late-booking")).to_contain_text("less than 24 hours away")
        check_page(page, f"cancelling-late-checkout-{width}")
        page.get_by_role("button", name="Confirm booking").click()
        expect(page.locator("#grace-notice")).to_be_visible()  # cancel free for 15 minutes, no move
        booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 11, 9),
                                     customer=customer, staff=shop.anna if width == "desktop" else shop.ben)
        page.goto(f"{live_server.url}/bookings/{booking.pk}/reschedule/?day=2026-05-12")
        page.locator("#slots").get_by_role("button", name="14:00", exact=True).click()
        expect(page.get_by_test_id("from")).to_contain_text("Mon 11 May 2026, 10:00")
        expect(page.get_by_test_id("to")).to_contain_text("Tue 12 May 2026, 14:00")
        check_page(page, f"cancelling-move-confirm-{width}")
        assert Booking.objects.get(pk=booking.pk).start == h.utc(2026, 5, 11, 9)
        page.get_by_role("button", name="Yes, move it").click()
        expect(page.get_by_test_id("when")).to_contain_text("Tue 12 May 2026, 14:00")
        page.context.clear_cookies()

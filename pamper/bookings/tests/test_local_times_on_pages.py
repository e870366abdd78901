"""The customer's booking pages write every time in the venue's zone, as they say they do.

Django's |time and |date filters turn an aware datetime into the current time zone first, and Pamper leaves that
at UTC: the booking page's 'with Ben, 09:00' was a 10:00 visit in London in summer (and in Paris all year), and
the checkout's 'holding this time until 07:10' meant 08:10 at the venue. Those pages now use |local_time with the
venue's zone. Now is Monday 4 May 2026, 08:00 in London (BST, UTC+1).
"""

from __future__ import annotations

import pytest

from pamper.bookings import actions
from pamper.bookings.actions import HOLD_MINUTES

from . import helpers as h

pytestmark = pytest.mark.django_db
NEXT_WEEK_10 = h.utc(2026, 5, 11, 9)  # 10:00 BST


def test_the_booking_page_gives_each_service_its_local_start(client, shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    client.force_login(customer)
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    booking = actions.confirm_hold(booking=held)
    staff = booking.items.get().staff.name
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert f"with {staff}, 10:00" in page and f"with {staff}, 09:00" not in page


def test_checkout_says_until_when_the_time_is_held_in_local_time(client, shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    client.force_login(customer)
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    assert HOLD_MINUTES == 10
    page = client.get(f"/bookings/{held.pk}/checkout/").content.decode()
    assert "data-hold-expires>08:10</time>" in page


def test_a_reader_in_another_zone_is_told_the_times_are_the_venues(client, shop):  # type: ignore[no-untyped-def]
    """A viewer in New York (the pamper_tz cookie site.js sets) read 'holding this time for you until 08:10' and
    'until 10:45' as their own clock: the times of day name the venue's zone, as the visit's date line does."""
    customer = h.customer()
    client.force_login(customer)
    client.cookies["pamper_tz"] = "America/New_York"
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    ends = held.end.astimezone(shop.venue.tz).strftime("%H:%M")
    page = client.get(f"/bookings/{held.pk}/checkout/").content.decode()
    assert "data-hold-expires>08:10 BST</time>" in page
    assert f"10:00 BST, until {ends} BST" in page
    booking = actions.confirm_hold(booking=held)
    staff = booking.items.get().staff.name
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert f"with {staff}, 10:00 BST" in page
    client.cookies["pamper_tz"] = "Europe/London"  # the venue's own zone: written plainly
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert f"with {staff}, 10:00 ·" in page

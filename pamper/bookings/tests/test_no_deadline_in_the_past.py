"""A booking made inside the venue's notice window does not tell its customer they may cancel or move it online
"until" a time already gone (a new owner's first customer read "Free to cancel or move online until Sun 6 Dec,
10:00" on Monday morning, beside "Just booked: you can cancel free of charge within 15 minutes")."""

from __future__ import annotations

import pytest

from pamper.bookings import actions

from . import helpers as h
from .test_cancelling import NEXT_WEEK_10, TODAY_14, confirmed

pytestmark = pytest.mark.django_db


def test_a_late_booking_shows_no_deadline_already_gone(client, shop):
    customer = h.customer()
    client.force_login(customer)
    late = confirmed(shop, customer, TODAY_14)
    page = client.get(f"/bookings/{late.pk}/").content.decode()
    assert "Free to cancel or move online until" not in page
    assert 'id="grace-notice"' in page


def test_an_early_booking_still_shows_its_deadline(client, shop):
    customer = h.customer()
    client.force_login(customer)
    early = actions.confirm_hold(booking=actions.hold_visit(
        venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer))
    page = client.get(f"/bookings/{early.pk}/").content.decode()
    assert "Free to cancel or move online until Sun 10 May 2026, 10:00." in page

"""One customer keeps at most MAX_WAITING (5) visits waiting at once (checkout holds and visits waiting for payment).

Every hold takes its slot from everyone else for ten minutes, and nothing limited how many one account kept: with
the booking limit of 30 a minute, one account starting checkouts it never finished held a venue's whole diary for
weeks ahead, a fresh hold as each ran out. The venue's own diary is not limited.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pamper.bookings import actions
from pamper.bookings.models import Booking, Source, Status
from pamper.errors import Refusal

from . import helpers as h
from .conftest import NOW

pytestmark = pytest.mark.django_db


def hold(shop, customer, hour: int):  # type: ignore[no-untyped-def]
    return actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 6, hour),
                              customer=customer)


def test_a_customer_keeps_at_most_five_visits_waiting(shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    held = [hold(shop, customer, hour) for hour in (9, 10, 11, 12, 13)]
    with pytest.raises(Refusal) as refused:
        hold(shop, customer, 14)
    assert (refused.value.status, refused.value.code) == (409, "too_many_waiting")
    assert Booking.objects.filter(customer=customer).count() == actions.MAX_WAITING
    hold(shop, h.customer(), 14)  # someone else still may
    actions.cancel_booking(booking=held[0], actor=customer)  # giving one back frees a place
    hold(shop, customer, 15)


def test_confirmed_visits_and_holds_run_out_do_not_count(shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    actions.confirm_hold(booking=hold(shop, customer, 9))
    for hour in (10, 11, 12, 13):
        hold(shop, customer, hour)
    hold(shop, customer, 14)  # one confirmed, five waiting
    with time_machine.travel(NOW + dt.timedelta(minutes=actions.HOLD_MINUTES + 1), tick=False):
        hold(shop, customer, 15)  # the five have run out


def test_the_venue_books_its_own_diary_without_the_limit(shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    for hour in (9, 10, 11, 12, 13):
        hold(shop, customer, hour)
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 6, 14),
                                 customer=customer, source=Source.PARTNER)
    assert booking.status in (Status.CONFIRMED, Status.PENDING)


def test_the_booking_page_says_why(client, shop):  # type: ignore[no-untyped-def]
    customer = h.customer()
    client.force_login(customer)
    for hour in (9, 10, 11, 12, 13):
        hold(shop, customer, hour)
    page = client.post(f"/venues/{shop.venue.slug}/book/hold/",
                       {"service": [shop.cut.pk], "start": h.utc(2026, 5, 6, 14).isoformat()})
    assert page.status_code == 409
    assert "You already have 5 visits waiting for you to confirm or pay." in page.content.decode()

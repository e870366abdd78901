"""Issue 18, point 6: cancelling and moving say what will happen before it happens.

Now is Monday 4 May 2026, 08:00 in London; the salon asks for 24 hours' notice to cancel or move online.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pamper.bookings import actions
from pamper.bookings.models import FREE_CANCEL_MINUTES, Booking, Status
from pamper.errors import Refusal

from . import helpers as h
from .conftest import NOW

pytestmark = pytest.mark.django_db
TODAY_14 = h.utc(2026, 5, 4, 13)  # 14:00 BST: inside the 24-hour notice
NEXT_WEEK_10 = h.utc(2026, 5, 11, 9)


def confirmed(shop, customer, start):  # type: ignore[no-untyped-def]
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=start, customer=customer)
    return actions.confirm_hold(booking=held)


def test_checkout_says_when_a_booking_is_made_inside_the_notice_window(client, shop):
    customer = h.customer()
    client.force_login(customer)
    late = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=TODAY_14, customer=customer)
    page = client.get(f"/bookings/{late.pk}/checkout/").content.decode()
    assert 'id="late-booking"' in page and "less than 24 hours away" in page
    assert f"free of charge for {FREE_CANCEL_MINUTES} minutes" in page
    early = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    page = client.get(f"/bookings/{early.pk}/checkout/").content.decode()
    assert 'id="late-booking"' not in page and "Free until 24 hours before" in page


def test_a_late_booking_can_be_cancelled_free_for_15_minutes_then_not(shop):
    customer = h.customer()
    booking = confirmed(shop, customer, TODAY_14)
    with time_machine.travel(NOW + dt.timedelta(minutes=FREE_CANCEL_MINUTES + 1), tick=False):
        with pytest.raises(Refusal) as refused:
            actions.cancel_booking(booking=booking, actor=customer)
        assert refused.value.code == "notice_window"
    other = confirmed(shop, h.customer(), h.utc(2026, 5, 4, 15))
    with time_machine.travel(NOW + dt.timedelta(minutes=FREE_CANCEL_MINUTES - 1), tick=False):
        assert actions.cancel_booking(booking=other, actor=other.customer).status == Status.CANCELLED
        with pytest.raises(Refusal):  # moving is not part of the grace
            actions.reschedule_booking(booking=booking, start=h.utc(2026, 5, 4, 16), actor=customer)


def test_the_api_says_until_when_a_late_booking_may_be_cancelled_for_free(client, shop):
    """cancel_deadline (cancel or move) is already past for a visit booked inside the notice window; an app that
    read only it would hide a Cancel button the customer may still use for FREE_CANCEL_MINUTES."""
    customer = h.customer()
    late = client.get(f"/api/v1/bookings/{confirmed(shop, customer, TODAY_14).pk}",
                      **h.bearer(customer)).json()
    assert late["cancel_deadline"] == "2026-05-03T14:00:00+01:00"  # 24 hours before 14:00: gone
    assert late["free_cancel_until"] == "2026-05-04T08:15:00+01:00"  # 15 minutes after booking it at 08:00
    early = client.get(f"/api/v1/bookings/{confirmed(shop, customer, NEXT_WEEK_10).pk}",
                       **h.bearer(customer)).json()
    assert early["free_cancel_until"] == early["cancel_deadline"] == "2026-05-10T10:00:00+01:00"


def test_the_booking_page_offers_the_free_cancel_during_the_grace_only(client, shop):
    customer = h.customer()
    client.force_login(customer)
    booking = confirmed(shop, customer, TODAY_14)
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert 'id="grace-notice"' in page and 'id="cancel-form"' in page and "Move to another time" not in page
    with time_machine.travel(NOW + dt.timedelta(minutes=FREE_CANCEL_MINUTES + 1), tick=False):
        page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert 'id="cancel-form"' not in page and "please call" in page


def test_cancelled_bookings_leave_coming_up_and_released_holds_are_not_bookings(client, shop):
    customer = h.customer()
    client.force_login(customer)
    kept = confirmed(shop, customer, NEXT_WEEK_10)
    gone = confirmed(shop, customer, h.utc(2026, 5, 12, 9))
    actions.cancel_booking(booking=gone, actor=customer)
    released = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 13, 9),
                                  customer=customer)
    client.post(f"/bookings/{released.pk}/release/")
    assert Booking.objects.get(pk=released.pk).status == Status.CANCELLED
    page = client.get("/bookings/").content.decode()
    upcoming = page.split('id="upcoming"', 1)[1].split("</ul>", 1)[0]
    cancelled = page.split('id="cancelled"', 1)[1].split("</ul>", 1)[0]
    assert f'data-booking="{kept.pk}"' in upcoming and f"/bookings/{gone.pk}/" not in upcoming
    assert f"/bookings/{gone.pk}/" in cancelled
    assert f"/bookings/{released.pk}/" not in page


def test_moving_asks_from_and_to_first(client, shop):
    customer = h.customer()
    client.force_login(customer)
    booking = confirmed(shop, customer, NEXT_WEEK_10)
    asked = client.post(f"/bookings/{booking.pk}/reschedule/", {"start": "2026-05-12T14:00:00+01:00", "staff": "keep"})
    page = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm-move"' in page
    assert "Mon 11 May 2026, 10:00" in page.split('data-testid="from"')[1].split("</dd>")[0]
    assert "Tue 12 May 2026, 14:00" in page.split('data-testid="to"')[1].split("</dd>")[0]
    assert Booking.objects.get(pk=booking.pk).start == NEXT_WEEK_10


def test_the_free_cancel_grace_ends_when_the_visit_begins(client, shop):
    """A visit booked minutes before it starts (no minimum notice), or recorded by the front desk after it began,
    kept its FREE_CANCEL_MINUTES grace past its start: the customer could cancel, free and online, a visit already
    under way or over. The grace ends at the visit's start."""
    shop.venue.min_notice_minutes = 0
    shop.venue.save(update_fields=["min_notice_minutes"])
    customer = h.customer()
    start = TODAY_14  # 14:00 in London, booked at 13:55
    with time_machine.travel(start - dt.timedelta(minutes=5), tick=False):
        booking = confirmed(shop, customer, start)
        answer = client.get(f"/api/v1/bookings/{booking.pk}", **h.bearer(customer)).json()
    assert answer["free_cancel_until"] == "2026-05-04T14:00:00+01:00"  # its start, not 14:10
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        client.force_login(customer)
        assert 'id="cancel-form"' not in client.get(f"/bookings/{booking.pk}/").content.decode()
        with pytest.raises(Refusal) as refused:
            actions.cancel_booking(booking=booking, actor=customer)
    assert refused.value.code == "notice_window"
    with time_machine.travel(start - dt.timedelta(minutes=1), tick=False):  # before it begins the grace holds
        assert actions.cancel_booking(booking=booking, actor=customer).status == Status.CANCELLED

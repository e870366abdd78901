"""A visit booked inside the venue's notice may be cancelled free of charge for 15 minutes, deposit included.

The booking pages promise it ("Just booked: you can cancel free of charge within 15 minutes of booking"), but the
refund went by the payment terms alone: their deadline (48 hours before) had gone before the visit was booked, so
the deposit was kept as the late-cancellation fee. The checkout and the booking pages also said "Free cancellation
until" that deadline already gone, and "After that, cancelling costs" the fee.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import FREE_CANCEL_MINUTES, Booking
from pamper.bookings.tests import helpers as h
from pamper.payments.models import LedgerEntry

from . import stripe_helpers as sh
from .conftest import NOW

pytestmark = pytest.mark.django_db
LATE = "2026-05-04T14:00:00+01:00"  # six hours away: inside the 48 hours of the deposit and the 24 of the notice
NEXT_DAY = "2026-05-05T14:00:00+01:00"  # 30 hours away: inside the deposit's 48 hours, outside the notice


def paid_booking(client, shop, stripe_on, customer, start: str = LATE) -> dict:  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    answer = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **h.bearer(customer))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                f"evt_{data['id']}"))
    return data


def refunds(booking_id: int) -> list[int]:
    return list(LedgerEntry.objects.filter(kind="refund", booking_id=booking_id).values_list("amount", flat=True))


def cancel_at(minutes: int, booking_id: int, customer, capture) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False), capture(execute=True):
        booking_actions.cancel_booking(booking=Booking.objects.get(pk=booking_id), actor=customer)


def test_cancelling_in_the_grace_gives_the_deposit_back(client, paid_shop, stripe_on,
                                                        django_capture_on_commit_callbacks):
    customer = h.customer()
    data = paid_booking(client, paid_shop, stripe_on, customer)
    cancel_at(FREE_CANCEL_MINUTES - 5, data["id"], customer, django_capture_on_commit_callbacks)
    assert refunds(data["id"]) == [-900]  # the whole deposit of £9


def test_outside_the_notice_there_is_no_grace_and_the_late_fee_is_kept(client, paid_shop, stripe_on,
                                                                       django_capture_on_commit_callbacks):
    customer = h.customer()
    data = paid_booking(client, paid_shop, stripe_on, customer, NEXT_DAY)
    cancel_at(5, data["id"], customer, django_capture_on_commit_callbacks)
    assert refunds(data["id"]) == []  # the late-cancellation fee (20%, the whole deposit) is kept, as the terms say


def test_the_terms_say_the_grace_not_a_deadline_already_gone(client, paid_shop, stripe_on):
    customer = h.customer()
    late = paid_booking(client, paid_shop, stripe_on, customer)
    next_day = paid_booking(client, paid_shop, stripe_on, customer, NEXT_DAY)
    early = paid_booking(client, paid_shop, stripe_on, customer, "2026-05-08T10:00:00+01:00")
    client.force_login(customer)
    page = client.get(f"/bookings/{late['id']}/").content.decode()
    assert "Free cancellation within 15 minutes of booking." in page and "Free cancellation until" not in page
    assert "After that, cancelling costs £9." in page
    page = client.get(f"/bookings/{next_day['id']}/").content.decode()
    assert "Free cancellation" not in page and "Cancelling costs £9." in page and "After that" not in page
    page = client.get(f"/bookings/{early['id']}/").content.decode()
    assert "Free cancellation until Wed 6 May 2026, 10:00." in page and "After that, cancelling costs £9." in page

"""What the booking pages and the confirmation call free is free under the payment terms too.

A venue asking 24 hours' notice to cancel or move online, whose deposit is kept for a cancellation inside 48 hours,
told its customers "Free to cancel or move online until" 24 hours before (the booking page), "You can cancel or move
it free of charge until" then (the confirmation) and "Free until 24 hours before" (the checkout), while cancelling
between 48 and 24 hours before kept the deposit, as the payment terms beside it said. The free deadline is now the
sooner of the two; one already gone when the visit was booked is not said at all.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.bookings import actions as booking_actions
from pamper.bookings.tests import helpers as h

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db
EARLY = "2026-05-08T10:00:00+01:00"  # four days away: 48 hours before is Wed 6 May 10:00, 24 hours Thu 7 May
NEXT_DAY = "2026-05-05T14:00:00+01:00"  # 30 hours away: outside the notice, inside the deposit's 48 hours


def paid_booking(client, shop, stripe_on, customer, start: str, mailoutbox=None,  # type: ignore[no-untyped-def]
                 capture=None) -> dict:
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    answer = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **h.bearer(customer))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    event = sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]), f"evt_{data['id']}")
    if capture is None:
        sh.deliver(client, event)
    else:
        with capture(execute=True):
            sh.deliver(client, event)
    return data


def test_the_booking_page_calls_free_only_what_the_deposit_allows(client, paid_shop, stripe_on):
    customer = h.customer()
    early = paid_booking(client, paid_shop, stripe_on, customer, EARLY)
    next_day = paid_booking(client, paid_shop, stripe_on, customer, NEXT_DAY)
    client.force_login(customer)
    page = client.get(f"/bookings/{early['id']}/").content.decode()
    assert "Free to cancel or move online until Wed 6 May 2026, 10:00." in page
    page = client.get(f"/bookings/{next_day['id']}/").content.decode()
    assert "Free to cancel or move online" not in page and "Cancelling costs £9." in page


def test_the_confirmation_calls_free_only_what_the_deposit_allows(client, paid_shop, stripe_on, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    customer = h.customer()
    paid_booking(client, paid_shop, stripe_on, customer, EARLY, capture=django_capture_on_commit_callbacks)
    [early] = [m for m in mailoutbox if customer.email in m.to and m.subject.startswith("Booking confirmed")]
    assert "You can cancel or move it free of charge until Wed 6 May 2026, 10:00 BST." in early.body
    mailoutbox.clear()
    paid_booking(client, paid_shop, stripe_on, customer, NEXT_DAY, capture=django_capture_on_commit_callbacks)
    [next_day] = [m for m in mailoutbox if customer.email in m.to and m.subject.startswith("Booking confirmed")]
    assert "free of charge until" not in next_day.body


def test_the_checkout_calls_free_only_what_the_deposit_allows(client, paid_shop):
    customer = h.customer()
    client.force_login(customer)
    for start, said in ((EARLY, "Free until 48 hours before."), (NEXT_DAY, None)):
        held = booking_actions.hold_visit(venue=paid_shop.venue, services=[paid_shop.cut],
                                          start=dt.datetime.fromisoformat(start), customer=customer)
        page = client.get(f"/bookings/{held.pk}/checkout/").content.decode()
        assert "Free until 24 hours before." not in page
        assert (said in page) if said else ("Free until" not in page)


def test_the_api_calls_free_only_what_the_deposit_allows(client, paid_shop, stripe_on):
    """The booking JSON's free_cancel_until said 24 hours before (the notice) while the pages said 48: the API
    agrees with them, in the answer to the booking, in the booking and in the list. A visit booked inside the
    deposit's 48 hours was never free: its free_cancel_until is already past (48 hours before it)."""
    customer = h.customer()
    early = paid_booking(client, paid_shop, stripe_on, customer, EARLY)
    next_day = paid_booking(client, paid_shop, stripe_on, customer, NEXT_DAY)
    assert early["free_cancel_until"] == "2026-05-06T10:00:00+01:00"
    assert early["cancel_deadline"] == "2026-05-07T10:00:00+01:00"  # moving it online is still allowed till then
    assert next_day["free_cancel_until"] == "2026-05-03T14:00:00+01:00"
    one = client.get(f"/api/v1/bookings/{early['id']}", **h.bearer(customer)).json()
    assert one["free_cancel_until"] == "2026-05-06T10:00:00+01:00"
    listed = {b["id"]: b["free_cancel_until"] for b in client.get("/api/v1/bookings", **h.bearer(customer)).json()}
    assert listed == {early["id"]: "2026-05-06T10:00:00+01:00", next_day["id"]: "2026-05-03T14:00:00+01:00"}

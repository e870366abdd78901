"""A fee charged off-session counts everything the venue holds for the visit: the deposit paid by card and the part a
gift card paid. A visit whose deposit was split between a gift card and a card is charged the fee less the whole
deposit, not less the card's part only (which took the gift card's part twice)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.accounts.models import Role
from pamper.bookings import attendance
from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments.models import GiftCard, LedgerEntry
from pamper.tests.factories import member

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def post(client, user, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json", **h.bearer(user))


def test_a_no_show_fee_is_less_the_deposit_a_gift_card_paid_part_of(client, paid_shop, stripe_on, frozen):
    made = post(client, h.customer(), "/api/v1/payments/gift-cards",
                {"amount": "12", "currency": "GBP", "recipient_email": "lucky@example.com"})
    intent_id = made.json()["intent_id"]
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, intent_id), "evt_gift"))
    code = GiftCard.objects.get(intent_id=intent_id).code
    customer = h.customer()
    bookings = []
    for start in ("2026-05-04T14:00:00+01:00", "2026-05-04T15:00:00+01:00"):
        data = post(client, customer, "/api/v1/bookings",
                    {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": start}).json()
        post(client, customer, f"/api/v1/payments/bookings/{data['id']}/gift-card", {"code": code})
        bookings.append(data)
    data = bookings[1]  # the gift card paid £3 of its £9 deposit; the card pays the other £6
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                "evt_rest"))
    assert Booking.objects.get(pk=data["id"]).status == "confirmed"
    frozen.shift(dt.timedelta(hours=9))
    owner = member(paid_shop.venue, Role.OWNER)
    attendance.mark_no_show(booking=Booking.objects.get(pk=data["id"]), actor=owner)
    path = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}/fee"
    done = post(client, owner, path, {"kind": "no_show", "reason": "Did not come"})
    assert done.status_code == 200, done.content
    fees = [e["amount"] for e in done.json()["entries"] if e["kind"] == "fee"]
    assert fees == ["13.50"]  # 50% of £45 is £22.50; the venue holds the £9 deposit (£3 gift card, £6 card)
    assert sum(LedgerEntry.objects.filter(booking_id=data["id"], kind="fee").values_list("amount", flat=True)) == 1350

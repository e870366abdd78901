"""The events localstripe never sends, delivered signed as Stripe signs them: charge.refunded and
setup_intent.succeeded (a card kept on file confirms the booking)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.payments import gateway
from pamper.payments.models import BookingPayment, LedgerEntry, PaymentPolicy, PaymentState

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def book(client, shop):  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-08T10:00:00+01:00"}
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                       **h.bearer(h.customer())).json()


def test_charge_refunded_puts_each_refund_in_the_ledger_once(client, paid_shop, stripe_on):
    data = book(client, paid_shop)
    intent = sh.pay(stripe_on, data["payment"]["intent_id"])
    sh.deliver(client, sh.event("payment_intent.succeeded", intent, "evt_paid"))
    gateway.refund(intent_id=intent["id"], amount=400, metadata={}, key="dashboard-refund")
    refunds = [gateway.plain(r) for r in gateway.refunds_of(intent["id"])]
    charge = {"id": gateway.charge_id_of(intent), "object": "charge", "payment_intent": intent["id"],
              "amount_refunded": 400, "refunds": {"object": "list", "data": refunds}}
    for event_id in ("evt_refunded", "evt_refunded", "evt_refunded_again"):
        sh.deliver(client, sh.event("charge.refunded", charge, event_id))
    rows = list(LedgerEntry.objects.filter(kind="refund").values_list("amount", "stripe_id"))
    assert rows == [(-400, refunds[0]["id"])]


def test_a_card_kept_on_file_confirms_the_booking(client, shop, stripe_on):
    PaymentPolicy.objects.create(venue=shop.venue, mode="card_on_file", free_cancel_hours=24,
                                 no_show_fee_kind="percent", no_show_fee_value=Decimal(50))
    data = book(client, shop)
    assert data["status"] == "pending_payment"
    payment = data["payment"]
    assert payment["kind"] == "card_on_file" and payment["amount"] == "0.00"
    assert payment["intent_id"].startswith("seti_")
    # Stripe.js gives the card to Stripe with the publishable key (confirmCardSetup): never to Pamper
    assert sh.keep_card(stripe_on, payment)["status"] == "succeeded"
    seti = gateway.retrieve_setup_intent(payment["intent_id"])
    for _ in range(2):
        sh.deliver(client, sh.event("setup_intent.succeeded", seti, "evt_card_kept"))
    assert Booking.objects.get(pk=data["id"]).status == Status.CONFIRMED
    kept = BookingPayment.objects.get(booking_id=data["id"])
    assert (kept.state, kept.card_last4, kept.no_show_fee) == (PaymentState.CARD_SAVED, "4242", 2250)
    assert not LedgerEntry.objects.exists()  # nothing charged

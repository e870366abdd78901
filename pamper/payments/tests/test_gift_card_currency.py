"""A gift card pays only in its own currency: a Pamper-wide card bought in euros never pays a booking priced in
pounds (its balance is in cents; the booking's in pence), and the refusal changes nothing."""

from __future__ import annotations

import json

import pytest

from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments.models import GiftCard, GiftRedemption

from . import stripe_helpers as sh


@pytest.mark.django_db
def test_a_euro_gift_card_does_not_pay_a_booking_in_pounds(client, paid_shop, stripe_on):
    assert paid_shop.venue.currency == "GBP"
    buyer = h.customer()
    made = client.post("/api/v1/payments/gift-cards", json.dumps({
        "amount": "50", "currency": "EUR", "recipient_email": "lucky@example.com"}),
        content_type="application/json", **h.bearer(buyer))
    assert made.status_code == 201, made.content
    intent_id = made.json()["intent_id"]
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, intent_id), "evt_gift_eur"))
    card = GiftCard.objects.get(intent_id=intent_id)
    customer = h.customer()
    body = {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": "2026-05-08T10:00:00+01:00"}
    booking = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                          **h.bearer(customer)).json()
    answer = client.post(f"/api/v1/payments/bookings/{booking['id']}/gift-card", json.dumps({"code": card.code}),
                         content_type="application/json", **h.bearer(customer))
    assert (answer.status_code, answer.json()["code"]) == (409, "other_currency"), answer.content
    assert "EUR" in answer.json()["message"] or "€" in answer.json()["message"]
    card.refresh_from_db()
    assert card.balance == 5000
    assert not GiftRedemption.objects.exists()
    assert Booking.objects.get(pk=booking["id"]).status == "pending_payment"

"""A booking that needs a deposit, through the API, against localstripe: pending_payment holding the slot, the
webhook confirming it (signed, once, in any order), the hold running out, a late payment refunded."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.bookings import paying
from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.payments import gateway
from pamper.payments.models import BookingPayment, LedgerEntry, PaymentState, StripeEvent

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db
START = "2026-05-08T10:00:00+01:00"


def book(client, shop, customer, start=START):  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **h.bearer(customer))


def test_without_stripe_keys_every_venue_is_pay_at_venue(client, shop):
    from .conftest import deposit_policy
    deposit_policy(shop.venue)  # a policy is set, but payments are off: nothing is asked
    response = book(client, shop, h.customer())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed"
    assert response.json().get("payment") is None


def test_a_deposit_booking_waits_for_payment_and_the_webhook_confirms_it(client, paid_shop, stripe_on):
    customer = h.customer()
    response = book(client, paid_shop, customer)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending_payment"
    payment = data["payment"]
    assert payment["provider"] == "stripe" and payment["kind"] == "deposit"
    assert payment["amount"] == "9.00" and payment["currency"] == "GBP"  # 20% of £45
    assert payment["intent_id"].startswith("pi_") and payment["client_secret"].startswith(payment["intent_id"])
    # the slot is held: nobody else gets Anna or Ben at that time... both are free, so take both and see a 409
    other = h.customer()
    assert book(client, paid_shop, other).status_code == 201
    assert book(client, paid_shop, h.customer()).status_code == 409

    intent = sh.pay(stripe_on, payment["intent_id"])
    assert intent["status"] == "succeeded"
    answer = sh.deliver(client, sh.event("payment_intent.succeeded", intent, "evt_paid_1"))
    assert answer.status_code == 200 and answer.json()["outcome"] == "handled"
    shown = client.get(f"/api/v1/bookings/{data['id']}", **h.bearer(customer)).json()
    assert shown["status"] == "confirmed"
    entries = list(LedgerEntry.objects.filter(booking_id=data["id"]).values_list("kind", "amount", "currency"))
    assert entries == [("charge", 900, "GBP")]
    kept = BookingPayment.objects.get(booking_id=data["id"])
    assert (kept.state, kept.card_last4, kept.card_brand) == (PaymentState.SUCCEEDED, "4242", "visa")


def test_events_twice_late_or_out_of_order_change_nothing_twice(client, paid_shop, stripe_on):
    data = book(client, paid_shop, h.customer()).json()
    intent_id = data["payment"]["intent_id"]
    needs_action = gateway.retrieve_payment_intent(intent_id)
    paid = sh.pay(stripe_on, intent_id)
    succeeded = sh.event("payment_intent.succeeded", paid, "evt_ok")
    for _ in range(3):
        sh.deliver(client, succeeded)
    assert sh.deliver(client, succeeded).json()["outcome"] == "duplicate"
    # a failure and a requires_action about the same intent, delivered after its success
    failed = sh.event("payment_intent.payment_failed", gateway.plain(needs_action) | {
        "status": "requires_payment_method", "last_payment_error": {"code": "card_declined"}}, "evt_failed_late")
    sh.deliver(client, failed)
    sh.deliver(client, sh.event("payment_intent.requires_action", gateway.plain(needs_action) | {
        "status": "requires_action"}, "evt_action_late"))
    assert Booking.objects.get(pk=data["id"]).status == Status.CONFIRMED
    assert BookingPayment.objects.get(booking_id=data["id"]).state == PaymentState.SUCCEEDED
    assert LedgerEntry.objects.filter(booking_id=data["id"]).count() == 1
    assert StripeEvent.objects.count() == 3


def test_unsigned_or_wrongly_signed_events_are_refused_and_logged(client, paid_shop, caplog):
    data = book(client, paid_shop, h.customer()).json()
    body = sh.event("payment_intent.succeeded", {"id": data["payment"]["intent_id"], "status": "succeeded",
                                                 "amount": 900}, "evt_forged")
    unsigned = client.post("/api/v1/payments/stripe/webhook", json.dumps(body), content_type="application/json")
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "bad_signature"
    forged = sh.deliver(client, body, secret="whsec_someone_else")
    assert forged.status_code == 400
    stale = sh.deliver(client, body, at=int(dt.datetime(2026, 5, 4, 6, tzinfo=dt.UTC).timestamp()))
    assert stale.status_code == 400  # signed an hour ago: outside Stripe's five-minute tolerance
    assert Booking.objects.get(pk=data["id"]).status == Status.PENDING_PAYMENT
    assert not LedgerEntry.objects.exists()
    assert sum("stripe webhook refused" in r.getMessage() for r in caplog.records) == 3


def test_an_abandoned_payment_frees_the_slot_and_a_late_success_is_refunded(client, paid_shop, stripe_on, frozen,
                                                                            mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    customer = h.customer()
    data = book(client, paid_shop, customer, start="2026-05-08T10:00:00+01:00").json()
    intent_id = data["payment"]["intent_id"]
    frozen.shift(dt.timedelta(minutes=paying.PAYMENT_HOLD_MINUTES, seconds=1))
    assert paying.expire_payment_holds() == [data["id"]]
    assert Booking.objects.get(pk=data["id"]).status == Status.EXPIRED
    # the slot is free again: someone else books Anna's and Ben's 10:00
    assert book(client, paid_shop, h.customer()).status_code == 201
    assert book(client, paid_shop, h.customer()).status_code == 201
    paid = sh.pay(stripe_on, intent_id)  # the first customer's bank answers at last
    with django_capture_on_commit_callbacks(execute=True):
        sh.deliver(client, sh.event("payment_intent.succeeded", paid, "evt_late"))
    assert Booking.objects.get(pk=data["id"]).status == Status.EXPIRED
    amounts = list(LedgerEntry.objects.filter(booking_id=data["id"]).order_by("id").values_list("kind", "amount"))
    assert amounts == [("charge", 900), ("refund", -900)]
    refunds = gateway.refunds_of(intent_id)
    assert [r["amount"] for r in refunds] == [900]  # at Stripe too
    assert BookingPayment.objects.get(booking_id=data["id"]).state == PaymentState.REFUNDED
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [customer.email]
    assert "£9" in mailoutbox[0].body and "refunded" in mailoutbox[0].body


def test_a_payment_hold_that_runs_out_cancels_its_payment_intent(client, paid_shop, stripe_on, frozen,
                                                                 django_capture_on_commit_callbacks):
    """The payment page of a visit whose hold ran out can no longer take the card: the intent is cancelled."""
    data = book(client, paid_shop, h.customer()).json()
    intent_id = data["payment"]["intent_id"]
    assert gateway.retrieve_payment_intent(intent_id).status != "canceled"
    frozen.shift(dt.timedelta(minutes=paying.PAYMENT_HOLD_MINUTES, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert paying.expire_payment_holds() == [data["id"]]
    assert gateway.retrieve_payment_intent(intent_id).status == "canceled"


def test_the_webhook_and_the_expiry_meet_at_the_deadline(client, paid_shop, stripe_on, frozen):
    """Paid one second before the hold runs out: confirmed, and the sweep after it leaves it alone."""
    data = book(client, paid_shop, h.customer()).json()
    paid = sh.pay(stripe_on, data["payment"]["intent_id"])
    frozen.shift(dt.timedelta(minutes=paying.PAYMENT_HOLD_MINUTES, seconds=-1))
    sh.deliver(client, sh.event("payment_intent.succeeded", paid, "evt_just_in_time"))
    frozen.shift(dt.timedelta(seconds=2))
    assert paying.expire_payment_holds() == []
    assert Booking.objects.get(pk=data["id"]).status == Status.CONFIRMED
    assert LedgerEntry.objects.filter(kind="refund").count() == 0


def test_a_cancellation_refunds_by_the_policy(client, paid_shop, stripe_on, frozen,
                                              django_capture_on_commit_callbacks):
    customer = h.customer()
    early = book(client, paid_shop, customer, start="2026-05-08T10:00:00+01:00").json()
    late = book(client, paid_shop, customer, start="2026-05-05T15:00:00+01:00").json()  # 31 hours away
    for data in (early, late):
        sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                    f"evt_{data['id']}"))
    for data in (early, late):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(f"/api/v1/bookings/{data['id']}/cancel", "{}", content_type="application/json",
                                 **h.bearer(customer))
        assert answer.status_code == 200, answer.content
    refunds = dict(LedgerEntry.objects.filter(kind="refund").values_list("booking_id", "amount"))
    assert refunds == {early["id"]: -900}  # in time: all back; inside 48 hours: the deposit is kept


def test_the_confirmation_email_and_my_bookings_show_the_amounts(client, paid_shop, stripe_on, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    customer = h.customer()
    data = book(client, paid_shop, customer).json()
    with django_capture_on_commit_callbacks(execute=True):
        sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                    "evt_mail"))
    sent = [m for m in mailoutbox if customer.email in m.to]
    assert sent, [m.subject for m in mailoutbox]
    body = sent[0].body
    # Once paid, in the past tense and said once ('Paid · paid £9' and 'You pay ... now' read as still due)
    assert "Payment: Paid £9, Visa •••• 4242" in body
    assert "You paid a deposit of £9; the rest (£36) at the venue." in body and "You pay" not in body
    assert "Not coming without cancelling costs £22.50." in body
    client.force_login(customer)
    page = client.get("/bookings/").content.decode()
    assert "You paid a deposit of £9;" in page and "After that, cancelling costs £9." in page
    assert "Paid £9 · Visa •••• 4242" in page

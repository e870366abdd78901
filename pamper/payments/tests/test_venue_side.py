"""The venue's side through the partner API: the policy, refunds with a reason, the venue cancelling (all back),
fees charged off-session only when the client accepted them at booking."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from pamper.accounts.models import Role
from pamper.bookings import actions as booking_actions
from pamper.bookings import attendance
from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments import gateway, ledger
from pamper.payments.models import LedgerEntry, PaymentPolicy
from pamper.tests.factories import member

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def paid(client, shop, base, start="2026-05-08T10:00:00+01:00", card="4242424242424242"):  # type: ignore[no-untyped-def]
    customer = h.customer()
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    data = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                       **h.bearer(customer)).json()
    intent = sh.pay(base, data["payment"]["intent_id"], number=card)
    sh.deliver(client, sh.event("payment_intent.succeeded", intent, f"evt_{data['id']}"))
    return data, customer


def post(client, user, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json", **h.bearer(user))


def test_the_owner_sets_the_policy_and_reception_may_not(client, shop, stripe_on):
    owner, reception = member(shop.venue, Role.OWNER), member(shop.venue, Role.RECEPTION)
    path = f"/api/v1/partner/venues/{shop.venue.id}/payment-policy"
    body = {"mode": "deposit", "deposit_kind": "percent", "deposit_value": "20", "free_cancel_hours": 48,
            "late_fee_value": "20", "no_show_fee_value": "50"}
    answer = client.put(path, json.dumps(body), content_type="application/json", **h.bearer(owner))
    assert answer.status_code == 200, answer.content
    assert answer.json()["mode"] == "deposit"
    refused = client.put(path, json.dumps(body), content_type="application/json", **h.bearer(reception))
    assert refused.status_code == 403
    too_much = client.put(path, json.dumps(body | {"deposit_value": "150"}), content_type="application/json",
                          **h.bearer(owner))
    assert too_much.status_code == 422
    data = post(client, h.customer(), "/api/v1/bookings", {"venue_id": shop.venue.id, "services": [shop.cut.id],
                                                           "start": "2026-05-08T10:00:00+01:00"}).json()
    assert data["payment"]["amount"] == "9.00"


def test_a_venue_refund_needs_a_reason_and_never_exceeds_what_was_paid(client, paid_shop, stripe_on):
    owner = member(paid_shop.venue, Role.OWNER)
    data, _ = paid(client, paid_shop, stripe_on)
    path = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}/refund"
    assert post(client, owner, path, {"amount": "5.00", "reason": " "}).json()["code"] == "reason_required"
    assert post(client, owner, path, {"amount": "9.01", "reason": "Sorry"}).json()["code"] == "invalid_amount"
    assert post(client, owner, path, {"amount": "lots", "reason": "Sorry"}).status_code == 422
    for nothing in ("0", "0.00", "-1"):  # "You can refund at most £9" was no answer to a refund of nothing
        answer = post(client, owner, path, {"amount": nothing, "reason": "Sorry"}).json()
        assert answer["code"] == "invalid_amount" and "at most" not in answer["message"], (nothing, answer)
    for not_a_number in ("NaN", "sNaN", "Infinity", "-Infinity", "1e999999"):  # Decimal reads these: none is money
        answer = post(client, owner, path, {"amount": not_a_number, "reason": "Sorry"})
        assert (answer.status_code, answer.json()["code"]) == (422, "invalid_amount"), (not_a_number, answer.content)
    done = post(client, owner, path, {"amount": "5.00", "reason": "Late start"})
    assert done.status_code == 200, done.content
    assert [(e["kind"], e["amount"], e["reason"]) for e in done.json()["entries"]] == [
        ("refund", "-5.00", "Late start"), ("charge", "9.00", "")]
    assert post(client, owner, path, {"amount": "4.01", "reason": "More"}).status_code == 422
    assert [r["amount"] for r in map(gateway.plain, gateway.refunds_of(data["payment"]["intent_id"]))] == [500]
    other_venue = h.shop()
    stranger = member(other_venue.venue, Role.OWNER)
    assert post(client, stranger, path, {"amount": "1.00", "reason": "x"}).status_code == 404


def test_the_venue_cancelling_refunds_everything_even_late(client, paid_shop, stripe_on,
                                                          django_capture_on_commit_callbacks):
    owner = member(paid_shop.venue, Role.OWNER)
    data, _ = paid(client, paid_shop, stripe_on, start="2026-05-04T15:00:00+01:00")  # today: well inside 48 hours
    with django_capture_on_commit_callbacks(execute=True):
        booking_actions.cancel_booking(booking=Booking.objects.get(pk=data["id"]), actor=owner, by_venue=True,
                                       reason="The therapist is ill")
    assert list(LedgerEntry.objects.filter(kind="refund").values_list("amount", flat=True)) == [-900]


def test_a_no_show_fee_is_charged_off_session_less_the_deposit_once(client, paid_shop, stripe_on, frozen):
    owner = member(paid_shop.venue, Role.OWNER)
    data, _ = paid(client, paid_shop, stripe_on, start="2026-05-04T15:00:00+01:00")
    path = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}/fee"
    assert post(client, owner, path, {"kind": "no_show", "reason": "Did not come"}).json()["code"] == "fee_not_due"
    frozen.shift(dt.timedelta(hours=8))  # 15:00 local has passed
    attendance.mark_no_show(booking=Booking.objects.get(pk=data["id"]), actor=owner)
    assert post(client, owner, path, {"kind": "no_show", "reason": ""}).json()["code"] == "reason_required"
    done = post(client, owner, path, {"kind": "no_show", "reason": "Did not come, no call"})
    assert done.status_code == 200, done.content
    fees = [e for e in done.json()["entries"] if e["kind"] == "fee"]
    assert [(f["amount"], f["reason"]) for f in fees] == [("13.50", "No-show fee: Did not come, no call")]  # 22.50 - 9
    again = post(client, owner, path, {"kind": "no_show", "reason": "Twice"})
    assert again.status_code == 409


def test_no_no_show_fee_for_a_client_marked_attended(client, paid_shop, stripe_on, frozen):
    """Attended, then no-show, then the fee: the flip is refused, so the fee is never due for a client who came."""
    owner = member(paid_shop.venue, Role.OWNER)
    data, _ = paid(client, paid_shop, stripe_on, start="2026-05-04T15:00:00+01:00")
    base = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}"
    frozen.shift(dt.timedelta(hours=8))  # 15:00 local has passed
    assert post(client, owner, base + "/attended", {}).json()["status"] == "attended"
    flipped = post(client, owner, base + "/no-show", {})
    assert (flipped.status_code, flipped.json()["code"]) == (409, "already_attended")
    fee = post(client, owner, base + "/fee", {"kind": "no_show", "reason": "Did not come"})
    assert (fee.status_code, fee.json()["code"]) == (422, "fee_not_due")
    assert not LedgerEntry.objects.filter(booking_id=data["id"], kind="fee").exists()


def test_no_fee_without_terms_accepted_at_booking(client, shop, stripe_on, frozen):
    owner = member(shop.venue, Role.OWNER)
    booking = booking_actions.book_visit(venue=shop.venue, services=[shop.cut], customer=h.customer(),
                                         start=dt.datetime(2026, 5, 4, 14, tzinfo=dt.UTC))  # before any policy
    frozen.shift(dt.timedelta(hours=8))
    attendance.mark_no_show(booking=booking, actor=owner)
    path = f"/api/v1/partner/venues/{shop.venue.id}/bookings/{booking.pk}/fee"
    answer = post(client, owner, path, {"kind": "no_show", "reason": "Did not come"})
    assert answer.status_code == 409 and answer.json()["code"] == "no_payment"


def keep_card_on_file(client, shop, base):  # type: ignore[no-untyped-def]
    """A booking under a card-on-file policy whose card Stripe.js kept (nothing charged yet)."""
    PaymentPolicy.objects.create(venue=shop.venue, mode="card_on_file", free_cancel_hours=48,
                                 no_show_fee_kind="percent", no_show_fee_value=Decimal(50))
    customer = h.customer()
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-04T15:00:00+01:00"}
    data = post(client, customer, "/api/v1/bookings", body).json()
    assert sh.keep_card(base, data["payment"])["status"] == "succeeded"
    sh.deliver(client, sh.event("setup_intent.succeeded", gateway.retrieve_setup_intent(data["payment"]["intent_id"]),
                                f"evt_kept_{data['id']}"))
    return data


def no_show_fee(client, owner, shop, booking_id, frozen):  # type: ignore[no-untyped-def]
    frozen.shift(dt.timedelta(hours=8))  # the visit's time has passed
    attendance.mark_no_show(booking=Booking.objects.get(pk=booking_id), actor=owner)
    done = post(client, owner, f"/api/v1/partner/venues/{shop.venue.id}/bookings/{booking_id}/fee",
                {"kind": "no_show", "reason": "Did not come"})
    assert done.status_code == 200, done.content
    return LedgerEntry.objects.get(booking_id=booking_id, kind="fee").stripe_id


def test_a_fee_charged_on_a_card_on_file_can_be_refunded(client, shop, stripe_on, frozen):
    """The fee is the booking's only money, on a PaymentIntent of its own: the refund went to the booking's
    SetupIntent and Stripe's refusal came back as a 502 'try again', every time."""
    owner = member(shop.venue, Role.OWNER)
    data = keep_card_on_file(client, shop, stripe_on)
    fee_intent = no_show_fee(client, owner, shop, data["id"], frozen)  # 50% of 45.00
    path = f"/api/v1/partner/venues/{shop.venue.id}/bookings/{data['id']}/refund"
    done = post(client, owner, path, {"amount": "10.00", "reason": "The fee was too harsh"})
    assert done.status_code == 200, done.content
    assert [r["amount"] for r in map(gateway.plain, gateway.refunds_of(fee_intent))] == [1000]
    assert post(client, owner, path, {"amount": "12.51", "reason": "More"}).json()["code"] == "invalid_amount"
    assert post(client, owner, path, {"amount": "12.50", "reason": "All of it"}).status_code == 200
    assert sorted(r["amount"] for r in map(gateway.plain, gateway.refunds_of(fee_intent))) == [1000, 1250]
    assert ledger.reconcile() == []


def test_a_refund_past_the_fee_takes_the_rest_from_the_deposit(client, paid_shop, stripe_on, frozen):
    """Deposit 9.00 on the booking's intent, then a 13.50 no-show fee on another: 20.00 back is the whole fee
    (the newest money) and 6.50 of the deposit, each from the intent that took it."""
    owner = member(paid_shop.venue, Role.OWNER)
    data, _ = paid(client, paid_shop, stripe_on, start="2026-05-04T15:00:00+01:00")
    fee_intent = no_show_fee(client, owner, paid_shop, data["id"], frozen)
    path = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}/refund"
    done = post(client, owner, path, {"amount": "20.00", "reason": "Our mistake"})
    assert done.status_code == 200, done.content
    assert [r["amount"] for r in map(gateway.plain, gateway.refunds_of(fee_intent))] == [1350]
    assert [r["amount"] for r in map(gateway.plain, gateway.refunds_of(data["payment"]["intent_id"]))] == [650]
    assert sorted(LedgerEntry.objects.filter(kind="refund").values_list("amount", flat=True)) == [-1350, -650]
    assert post(client, owner, path, {"amount": "2.51", "reason": "More"}).json()["code"] == "invalid_amount"
    assert post(client, owner, path, {"amount": "2.50", "reason": "The rest"}).status_code == 200
    assert [r["amount"] for r in map(gateway.plain, gateway.refunds_of(data["payment"]["intent_id"]))] in (
        [650, 250], [250, 650])
    assert ledger.reconcile() == []


def test_a_fee_refunded_at_stripe_reaches_the_ledger(client, shop, stripe_on, frozen):
    """charge.refunded for a fee's intent (a refund made in Stripe's dashboard) was dropped: the webhook looked
    the intent up among the bookings' own intents only."""
    owner = member(shop.venue, Role.OWNER)
    data = keep_card_on_file(client, shop, stripe_on)
    fee_intent = no_show_fee(client, owner, shop, data["id"], frozen)
    gateway.refund(intent_id=fee_intent, amount=500, metadata={}, key="dashboard-fee-refund")
    refunds = [gateway.plain(r) for r in gateway.refunds_of(fee_intent)]
    charge = {"id": "ch_fee", "object": "charge", "payment_intent": fee_intent, "amount_refunded": 500,
              "refunds": {"object": "list", "data": refunds}}
    sh.deliver(client, sh.event("charge.refunded", charge, "evt_fee_refunded"))
    assert list(LedgerEntry.objects.filter(kind="refund", booking_id=data["id"]).values_list("amount", flat=True)) == [
        -500]
    assert ledger.reconcile() == []

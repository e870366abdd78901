"""The venue's side through the partner API: the policy, refunds with a reason, the venue cancelling (all back),
fees charged off-session only when the client accepted them at booking."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.accounts.models import Role
from pamper.bookings import actions as booking_actions
from pamper.bookings import attendance
from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments import gateway
from pamper.payments.models import LedgerEntry
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


def test_no_fee_without_terms_accepted_at_booking(client, shop, stripe_on, frozen):
    owner = member(shop.venue, Role.OWNER)
    booking = booking_actions.book_visit(venue=shop.venue, services=[shop.cut], customer=h.customer(),
                                         start=dt.datetime(2026, 5, 4, 14, tzinfo=dt.UTC))  # before any policy
    frozen.shift(dt.timedelta(hours=8))
    attendance.mark_no_show(booking=booking, actor=owner)
    path = f"/api/v1/partner/venues/{shop.venue.id}/bookings/{booking.pk}/fee"
    answer = post(client, owner, path, {"kind": "no_show", "reason": "Did not come"})
    assert answer.status_code == 409 and answer.json()["code"] == "no_payment"

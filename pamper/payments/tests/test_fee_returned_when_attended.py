"""A no-show corrected to attended (the client came late, the wrong button was pressed) gives back the no-show fee
charged for it, once, on the card it was taken from; the deposit stays with the venue as for any visit."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.accounts.models import Role
from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments import fees
from pamper.payments.models import LedgerEntry
from pamper.tests.factories import member

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def post(client, user, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json", **h.bearer(user))


def test_the_no_show_fee_goes_back_when_the_visit_is_corrected_to_attended(client, paid_shop, stripe_on, frozen,  # type: ignore[no-untyped-def]
                                                                           django_capture_on_commit_callbacks):
    owner = member(paid_shop.venue, Role.OWNER)
    body = {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": "2026-05-04T15:00:00+01:00"}
    data = post(client, h.customer(), "/api/v1/bookings", body).json()
    intent = sh.pay(stripe_on, data["payment"]["intent_id"])
    sh.deliver(client, sh.event("payment_intent.succeeded", intent, "evt_paid"))
    base = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}"
    frozen.shift(dt.timedelta(hours=8))  # 15:00 local has passed
    assert post(client, owner, base + "/no-show", {}).json()["status"] == "no_show"
    charged = post(client, owner, base + "/fee", {"kind": "no_show", "reason": "Did not come"})
    assert charged.status_code == 200, charged.content

    with django_capture_on_commit_callbacks(execute=True):
        corrected = post(client, owner, base + "/attended", {})
    assert corrected.json()["status"] == "attended"
    refunds = list(LedgerEntry.objects.filter(booking_id=data["id"], kind="refund").values_list("amount", "reason"))
    assert [amount for amount, _ in refunds] == [-1350]  # the £13.50 fee; the £9 deposit stays with the venue
    assert Booking.objects.get(pk=data["id"]).status == "attended"

    # Marked attended again, or the task run twice: nothing more goes back.
    with django_capture_on_commit_callbacks(execute=True):
        post(client, owner, base + "/attended", {})
    assert fees.return_no_show_fee(booking_id=data["id"]) == 0
    assert LedgerEntry.objects.filter(booking_id=data["id"], kind="refund").count() == 1


def test_a_fee_is_not_due_once_the_visit_was_corrected_to_attended(client, paid_shop, stripe_on, frozen):  # type: ignore[no-untyped-def]
    owner = member(paid_shop.venue, Role.OWNER)
    body = {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": "2026-05-04T15:00:00+01:00"}
    data = post(client, h.customer(), "/api/v1/bookings", body).json()
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]), "e1"))
    base = f"/api/v1/partner/venues/{paid_shop.venue.id}/bookings/{data['id']}"
    frozen.shift(dt.timedelta(hours=8))
    post(client, owner, base + "/no-show", {})
    post(client, owner, base + "/attended", {})
    fee = post(client, owner, base + "/fee", {"kind": "no_show", "reason": "Did not come"})
    assert (fee.status_code, fee.json()["code"]) == (422, "fee_not_due")
    assert not LedgerEntry.objects.filter(booking_id=data["id"]).exclude(kind="charge").exists()

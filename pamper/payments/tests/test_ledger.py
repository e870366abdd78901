"""The ledger: append-only, balances and commission, the payouts CSV, reconciliation with localstripe."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pamper.bookings.tests import helpers as h
from pamper.payments import gateway, ledger
from pamper.payments.models import LedgerEntry

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def paid_booking(client, shop, base, start="2026-05-08T10:00:00+01:00"):  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    data = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                       **h.bearer(h.customer())).json()
    intent = sh.pay(base, data["payment"]["intent_id"])
    sh.deliver(client, sh.event("payment_intent.succeeded", intent, f"evt_{data['id']}"))
    return data


def test_entries_are_never_edited_or_deleted(client, paid_shop, stripe_on):
    paid_booking(client, paid_shop, stripe_on)
    entry = LedgerEntry.objects.get()
    entry.amount = 1
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.update(amount=0)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()


def test_balance_commission_and_the_payouts_csv(client, paid_shop, stripe_on, settings):
    settings.PAMPER_COMMISSION_BPS = 1000
    paid_booking(client, paid_shop, stripe_on)
    paid_booking(client, paid_shop, stripe_on, start="2026-05-08T12:00:00+01:00")
    [balance] = ledger.balances(venue_id=paid_shop.venue.id)
    assert (balance.taken, balance.refunded, balance.commission, balance.owed) == (1800, 0, 180, 1620)
    out = io.StringIO()
    call_command("payouts_report", "--from", "2026-05-01", "--to", "2026-06-01", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "venue_id,venue,currency,taken,refunded,commission,owed"
    assert lines[1] == f"{paid_shop.venue.id},{paid_shop.venue.name},GBP,18.00,0.00,1.80,16.20"
    empty = io.StringIO()
    call_command("payouts_report", "--from", "2026-06-01", "--to", "2026-07-01", stdout=empty)
    assert empty.getvalue().splitlines() == lines[:1]


def test_reconcile_finds_what_the_ledger_missed(client, paid_shop, stripe_on):
    data = paid_booking(client, paid_shop, stripe_on)
    out = io.StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "agrees" in out.getvalue()
    # a refund made at Stripe that no event brought in
    gateway.refund(intent_id=data["payment"]["intent_id"], amount=300, metadata={}, key="made-elsewhere")
    with pytest.raises(CommandError, match="1 difference"):
        call_command("reconcile_payments", stdout=io.StringIO())
    assert ledger.reconcile()[0]["what"] == "refund" and ledger.reconcile()[0]["stripe"] == 300

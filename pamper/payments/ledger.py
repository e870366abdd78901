"""Reads over the append-only ledger: a venue's balance, Pamper's commission, what Pamper owes each venue for a
period (the payouts report), and the comparison with Stripe's own objects (reconciliation)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum

from . import gateway, rules
from .models import BookingPayment, Entry, LedgerEntry

PAID_IN = (Entry.CHARGE, Entry.FEE, Entry.GIFT_REDEMPTION)  # what the venue is owed for


@dataclass(frozen=True)
class Balance:
    venue_id: int
    venue_name: str
    currency: str
    taken: int      # charges and fees, minor units
    refunded: int   # refunds (positive)
    commission: int
    owed: int       # taken - refunded - commission

    def row(self) -> list[str]:
        money = lambda minor: str(rules.from_minor(minor, self.currency))  # noqa: E731
        return [str(self.venue_id), self.venue_name, self.currency, money(self.taken), money(self.refunded),
                money(self.commission), money(self.owed)]


def balances(*, start: dt.datetime | None = None, end: dt.datetime | None = None,
             venue_id: int | None = None) -> list[Balance]:
    """Each venue's balance over [start, end) from the ledger, with Pamper's commission (PAMPER_COMMISSION_BPS)
    on what was kept (taken less refunded)."""
    rows = LedgerEntry.objects.filter(venue__isnull=False)
    if start is not None:
        rows = rows.filter(created_at__gte=start)
    if end is not None:
        rows = rows.filter(created_at__lt=end)
    if venue_id is not None:
        rows = rows.filter(venue_id=venue_id)
    sums: dict[tuple[int, str, str], dict[str, int]] = {}
    for row in rows.values("venue_id", "venue__name", "currency", "kind").annotate(total=Sum("amount")):
        key = (row["venue_id"], row["venue__name"], row["currency"])
        sums.setdefault(key, {})[row["kind"]] = int(row["total"])
    out = []
    for (vid, name, currency), kinds in sorted(sums.items()):
        taken = sum(kinds.get(k, 0) for k in PAID_IN)
        refunded = -kinds.get(Entry.REFUND, 0)
        fee = rules.commission(taken - refunded, settings.PAMPER_COMMISSION_BPS)
        out.append(Balance(vid, name, currency, taken, refunded, fee, taken - refunded - fee))
    return out


def payouts_csv(*, start: dt.datetime, end: dt.datetime) -> str:
    """The payouts report: what Pamper owes each venue for [start, end), as CSV (amounts in major units)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["venue_id", "venue", "currency", "taken", "refunded", "commission", "owed"])
    for balance in balances(start=start, end=end):
        writer.writerow(balance.row())
    return buffer.getvalue()


def reconcile() -> list[dict[str, Any]]:
    """Compare each booking payment's ledger rows with Stripe's PaymentIntents (the booking's own and any fee's)
    and their refunds. Returns the differences found (empty: the ledger agrees with Stripe)."""
    found = []
    fees: dict[int, list[str]] = {}
    for booking_id, intent_id in LedgerEntry.objects.filter(kind=Entry.FEE).values_list("booking_id", "stripe_id"):
        fees.setdefault(booking_id, []).append(intent_id)
    payments = BookingPayment.objects.filter(Q(intent_id__startswith="pi_") | Q(booking_id__in=list(fees)))
    for payment in payments.order_by("id"):
        intents = [payment.intent_id] if payment.intent_id.startswith("pi_") else []
        refunds: dict[str, int] = {}
        for intent_id in intents + fees.get(payment.booking_id, []):
            intent = gateway.plain(gateway.retrieve_payment_intent(intent_id))
            at_stripe = int(intent["amount"]) if intent["status"] == "succeeded" else 0
            ours = LedgerEntry.objects.filter(kind__in=(Entry.CHARGE, Entry.FEE), stripe_id=intent_id)
            in_ledger = int(ours.aggregate(total=Sum("amount"))["total"] or 0)
            if at_stripe != in_ledger:
                found.append({"booking": payment.booking_id, "object": intent_id, "what": "charge",
                              "stripe": at_stripe, "ledger": in_ledger})
            refunds |= {r["id"]: int(r["amount"]) for r in map(gateway.plain, gateway.refunds_of(intent_id))}
        ledger_refunds = dict(LedgerEntry.objects.filter(kind=Entry.REFUND, booking_id=payment.booking_id)
                              .values_list("stripe_id", "amount"))
        for refund_id in sorted(set(refunds) | set(ledger_refunds)):
            stripe_amount, ledger_amount = refunds.get(refund_id, 0), -ledger_refunds.get(refund_id, 0)
            if stripe_amount != ledger_amount:
                found.append({"booking": payment.booking_id, "object": refund_id, "what": "refund",
                              "stripe": stripe_amount, "ledger": ledger_amount})
    return found

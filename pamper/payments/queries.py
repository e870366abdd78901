"""Reads of payments: which policy applies, what a visit costs up front, what a booking paid, the words shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pamper.bookings.models import FREE_CANCEL_MINUTES
from pamper.lib import clock
from pamper.lib.money import format_money
from pamper.venues.models import Service, ServiceKind, Venue

from . import gateway, rules
from .models import BookingPayment, Entry, LedgerEntry, PaymentPolicy, PaymentState


def venue_policy(venue: Venue) -> PaymentPolicy | None:
    return PaymentPolicy.objects.filter(venue=venue, service__isnull=True).first()


def quote_for(venue: Venue, services: Sequence[Service]) -> rules.Quote | None:
    """What the visit asks up front under the venue's policy and the services' overrides (one query).
    None when payments are off (no Stripe keys), or the venue prices in a currency Pamper takes no payments in:
    everything is paid at the venue."""
    if not gateway.configured() or not rules.takes(venue.currency):
        return None
    ids = [s.id for s in services]
    rows = list(PaymentPolicy.objects.filter(Q(venue=venue), Q(service__isnull=True) | Q(service_id__in=ids)))
    default = next((p for p in rows if p.service_id is None), None)
    overrides = {p.service_id: p for p in rows if p.service_id is not None}
    lines = []
    for service in services:
        policy = overrides.get(service.id) or default
        free = policy is None or (service.kind == ServiceKind.CONSULTATION and policy.consultations_free)
        terms = rules.FREE if free else policy.terms()  # type: ignore[union-attr]
        lines.append((rules.to_minor(service.price, venue.currency), terms))
    return rules.quote(lines, venue.currency)


def money(minor: int, currency: str) -> str:
    return format_money(rules.from_minor(minor, currency), currency)


def terms_lines(q: rules.Quote, start: dt.datetime | None, tz: Any, *, paid: bool = False,
                made: dt.datetime | None = None, grace: bool = False) -> list[str]:
    """The rules in words, as the customer reads them before confirming, in the email and in My bookings.

    Without a `start` (the time is not chosen yet) the free-cancellation deadline is said in hours before. With
    `paid` (the payment went through, or the card was kept) what was asked up front is said as done. A deadline
    already gone when the visit was booked (`made`, default now) is not said: with `grace` (booked inside the
    venue's notice) the free minutes after booking are, else the fee applies from the start."""
    lines = []
    amount, rest = money(q.due_now, q.currency), money(q.price - q.due_now, q.currency)
    if q.kind == rules.PREPAYMENT:
        full = _("You paid %(amount)s, the full price.") if paid else _("You pay %(amount)s now, the full price.")
        lines.append(full % {"amount": amount})
    elif q.kind == rules.DEPOSIT:
        deposit = (_("You paid a deposit of %(amount)s; the rest (%(rest)s) at the venue.") if paid else
                   _("You pay a deposit of %(amount)s now; the rest (%(rest)s) at the venue."))
        lines.append(deposit % {"amount": amount, "rest": rest})
    elif q.kind == rules.CARD_ON_FILE:
        lines.append(_("Nothing was charged: your card is kept for the fees below.") if paid else
                     _("Nothing is charged now: your card is kept for the fees below."))
    if q.free_cancel_hours and start is None:
        lines.append(ngettext("Free cancellation until %(hours)s hour before.",
                              "Free cancellation until %(hours)s hours before.", q.free_cancel_hours)
                     % {"hours": q.free_cancel_hours})
    deadline_at = start - dt.timedelta(hours=q.free_cancel_hours) if start and q.free_cancel_hours else None
    gone = deadline_at is not None and deadline_at <= (made or clock.now())
    if gone and grace:
        lines.append(_("Free cancellation within %(minutes)s minutes of booking.") % {"minutes": FREE_CANCEL_MINUTES})
    elif deadline_at is not None and not gone:
        lines.append(_("Free cancellation until %(deadline)s.") % {"deadline": clock.format_local(deadline_at, tz)})
    if q.late_cancel_fee and gone and not grace:
        lines.append(_("Cancelling costs %(fee)s.") % {"fee": money(q.late_cancel_fee, q.currency)})
    elif q.late_cancel_fee:
        lines.append(_("After that, cancelling costs %(fee)s.") % {"fee": money(q.late_cancel_fee, q.currency)})
    if q.no_show_fee:
        lines.append(_("Not coming without cancelling costs %(fee)s.") % {"fee": money(q.no_show_fee, q.currency)})
    return lines


def charged_intents(booking_id: int) -> list[tuple[str, int]]:
    """The PaymentIntents that took a booking's money, newest first, each with what it took (minor units): the
    booking's own charge (a deposit or prepayment) and any fee charged off-session later, on an intent of its own."""
    rows = LedgerEntry.objects.filter(booking_id=booking_id, kind__in=(Entry.CHARGE, Entry.FEE)).order_by("-id")
    return [(stripe_id, int(amount)) for stripe_id, amount in rows.values_list("stripe_id", "amount")]


def payment_for_intent(intent_id: str) -> BookingPayment | None:
    """The booking payment a PaymentIntent belongs to: the booking's own, or the one a fee was charged for."""
    if not intent_id:
        return None
    payment = BookingPayment.objects.filter(intent_id=intent_id).first()
    if payment is not None:
        return payment
    fee = LedgerEntry.objects.filter(kind=Entry.FEE, stripe_id=intent_id).values_list("booking_id", flat=True).first()
    return BookingPayment.objects.filter(booking_id=fee).first() if fee is not None else None


def paid_and_refunded(booking_id: int) -> tuple[int, int]:
    """(paid, refunded) for a booking from the ledger: charges and fees in, refunds out (positive)."""
    rows = dict(LedgerEntry.objects.filter(booking_id=booking_id).values_list("kind").annotate(total=Sum("amount")))
    paid = int(rows.get(Entry.CHARGE, 0) or 0) + int(rows.get(Entry.FEE, 0) or 0)
    return paid, -int(rows.get(Entry.REFUND, 0) or 0)


def summaries(bookings: Sequence[Any]) -> dict[int, dict[str, Any]]:
    """{booking id: summary} for pages and JSON: kind, amounts (strings), state, the card and the rules."""
    found = {p.booking_id: p for p in BookingPayment.objects.filter(booking_id__in=[b.pk for b in bookings])}
    totals: dict[int, dict[str, int]] = {}
    for row in (LedgerEntry.objects.filter(booking_id__in=list(found)).values("booking_id", "kind")
                .annotate(total=Sum("amount"))):
        totals.setdefault(row["booking_id"], {})[row["kind"]] = int(row["total"])
    out = {}
    for booking in bookings:
        payment = found.get(booking.pk)
        if payment is not None:
            out[booking.pk] = summary(payment, booking, totals.get(booking.pk, {}))
    return out


# The states in which what the terms asked up front has been done: paid, or the card kept.
SETTLED = (PaymentState.SUCCEEDED, PaymentState.CARD_SAVED)
# Card networks as their owners write them (Stripe names them in lower case: 'visa', 'amex').
CARD_BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover",
               "diners": "Diners Club", "jcb": "JCB", "unionpay": "UnionPay", "cartes_bancaires": "Cartes Bancaires"}


def card_brand(brand: str) -> str:
    return CARD_BRANDS.get(brand.lower(), brand.capitalize())


def _status(payment: BookingPayment, paid: int, refunded: int, card: str) -> list[str]:
    """How the payment stands, in parts a page joins with ' · ' and an email with ', ': 'Paid £9' once paid (not
    'Paid · paid £9'), else the state and what was paid; then what was refunded, and the card."""
    cur = payment.currency
    if payment.state == PaymentState.SUCCEEDED and paid:
        parts = [_("Paid %(amount)s") % {"amount": money(paid, cur)}]
    else:
        parts = [str(payment.get_state_display())]
        if paid:
            parts.append(_("paid %(amount)s") % {"amount": money(paid, cur)})
    if refunded:
        parts.append(_("refunded %(amount)s") % {"amount": money(refunded, cur)})
    return [*parts, card] if card else parts


def summary(payment: BookingPayment, booking: Any, totals: dict[str, int]) -> dict[str, Any]:
    q, cur = payment.quote(), payment.currency
    paid = totals.get(Entry.CHARGE, 0) + totals.get(Entry.FEE, 0)
    refunded = -totals.get(Entry.REFUND, 0)
    card = f"{card_brand(payment.card_brand)} •••• {payment.card_last4}" if payment.card_last4 else ""
    return {
        "provider": "stripe", "kind": payment.kind, "intent_id": payment.intent_id, "currency": cur,
        "state": payment.state, "state_label": str(payment.get_state_display()),
        "amount": rules.major_str(payment.due_now, cur),
        "late_cancel_fee": rules.major_str(payment.late_cancel_fee, cur),
        "no_show_fee": rules.major_str(payment.no_show_fee, cur),
        "free_cancel_hours": payment.free_cancel_hours,
        "fee_from_hours": payment.free_cancel_hours if payment.late_cancel_fee > 0 else 0,
        "paid": rules.major_str(paid, cur), "refunded": rules.major_str(refunded, cur),
        "paid_text": money(paid, cur), "refunded_text": money(refunded, cur),
        "card": card,
        "status": _status(payment, paid, refunded, card),
        "lines": terms_lines(q, booking.start, booking.venue.tz, paid=payment.state in SETTLED,
                             made=booking.created_at, grace=booking.grace_until is not None),
    }

"""Payments' section of the person's export (accounts.hooks.register_export_section, connected in
PaymentsConfig.ready): what each of their bookings owed and paid, the money moved (payments, refunds, fees),
gift cards bought and received. Amounts are strings in the currency's units. No card number is held; gift-card
codes are a bearer's money, so only their last four characters are written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import BookingPayment, GiftCard, LedgerEntry, StripeCustomer
from .rules import major_str


def _money(minor: int, currency: str) -> str:
    return major_str(minor, currency)


def _gift(card: GiftCard, user: Any) -> dict[str, Any]:
    mine = card.buyer_email.lower() == user.email.lower()
    return {
        "bought_or_received": "bought" if mine else "received", "code_ends": card.code[-4:],
        "venue": card.venue.name if card.venue else None, "currency": card.currency,
        "value": _money(card.initial, card.currency), "balance": _money(card.balance, card.currency),
        "from": card.buyer_email, "to": card.recipient_email, "recipient_name": card.recipient_name,
        "message": card.message, "paid_at": iso(card.paid_at), "expires_at": iso(card.expires_at),
        "used": [{"amount": _money(r.amount, card.currency), "booking_id": r.booking_id, "at": iso(r.created_at)}
                 for r in card.redemptions.order_by("created_at", "pk")],
    }


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    bookings = Q(booking__customer=user) | Q(booking__client__user=user)
    cards = list(GiftCard.objects.filter(Q(buyer_email__iexact=user.email) | Q(recipient_email__iexact=user.email))
                 .select_related("venue").order_by("created_at", "pk"))
    moves = (LedgerEntry.objects.filter(bookings | Q(gift_card__in=cards)).distinct()
             .select_related("venue").order_by("created_at", "pk"))
    return hooks.ExportPart({
        "stripe_customer": StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first(),
        "booking_payments": [
            {"booking_id": p.booking_id, "kind": p.kind, "state": p.state, "currency": p.currency,
             "price": _money(p.price, p.currency), "due_at_booking": _money(p.due_now, p.currency),
             "late_cancel_fee": _money(p.late_cancel_fee, p.currency),
             "no_show_fee": _money(p.no_show_fee, p.currency), "free_cancel_hours": p.free_cancel_hours,
             "terms_accepted_at": iso(p.accepted_at), "card": f"{p.card_brand} {p.card_last4}".strip() or None}
            for p in BookingPayment.objects.filter(bookings).distinct().order_by("created_at", "pk")],
        "money_moved": [{"kind": e.kind, "amount": _money(e.amount, e.currency), "currency": e.currency,
                         "venue": e.venue.name if e.venue else None, "booking_id": e.booking_id,
                         "reason": e.reason_shown, "at": iso(e.created_at)} for e in moves],
        "gift_cards": [_gift(card, user) for card in cards],
    })


def register() -> None:
    hooks.register_export_section(
        "payments", section,
        covers=("payments.StripeCustomer", "payments.BookingPayment", "payments.LedgerEntry", "payments.GiftCard",
                "payments.GiftRedemption"),
    )

"""Reads for the venue's payment pages: the ledger filtered by dates and kind with its totals, gift cards sold,
and a customer's gift cards. Amounts come back formatted in the venue's locale (`queries.money`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from pamper.accounts.models import User
from pamper.venues.models import Venue

from . import queries
from .models import Entry, GiftCard, LedgerEntry

PAGE = 200


def ledger(venue: Venue, *, start: dt.date | None = None, end: dt.date | None = None,
           kind: str = "") -> QuerySet[LedgerEntry]:
    """The venue's ledger rows, newest first, from `start` to `end` (local days, both included) of one kind."""
    rows = LedgerEntry.objects.filter(venue=venue).select_related("booking", "booking__client", "actor")
    if start is not None:
        rows = rows.filter(created_at__gte=_local_midnight(start, venue))
    if end is not None:
        rows = rows.filter(created_at__lt=_local_midnight(end + dt.timedelta(days=1), venue))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-created_at", "-id")


def _local_midnight(day: dt.date, venue: Venue) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=venue.tz)


def rows_for_page(rows: QuerySet[LedgerEntry], venue: Venue) -> list[dict[str, Any]]:
    return [{"entry": r, "amount": queries.money(r.amount, r.currency), "kind": r.get_kind_display(),
             "when": r.created_at.astimezone(venue.tz)} for r in rows[:PAGE]]


def totals(rows: QuerySet[LedgerEntry]) -> list[dict[str, str]]:
    """Per currency: taken (charges and gift cards used), fees, refunded and the net, formatted."""
    sums: dict[str, dict[str, int]] = {}
    for kind, amount, currency in rows.values_list("kind", "amount", "currency"):
        found = sums.setdefault(currency, {"taken": 0, "fees": 0, "refunded": 0})
        key = "fees" if kind == Entry.FEE else "refunded" if amount < 0 else "taken"
        found[key] += amount
    return [{"currency": c, **{k: queries.money(v, c) for k, v in t.items()},
             "net": queries.money(sum(t.values()), c)} for c, t in sorted(sums.items())]


def gift_cards_sold(venue: Venue) -> list[dict[str, Any]]:
    """The venue's paid gift cards, newest first, with what is left on each."""
    cards = GiftCard.objects.filter(venue=venue, paid_at__isnull=False).order_by("-paid_at")[:PAGE]
    return [_card_row(c) | {"last4": c.code[-4:]} for c in cards]


def my_gift_cards(user: User) -> list[dict[str, Any]]:
    """The paid gift cards the user bought or was given (by their email), newest first."""
    email = user.email.strip()
    cards = (GiftCard.objects.filter(Q(buyer_email__iexact=email) | Q(recipient_email__iexact=email),
                                     paid_at__isnull=False).select_related("venue").order_by("-paid_at")[:PAGE])
    # The code is shown to the one it was given to; the buyer sees the card without it.
    return [_card_row(c) | {"mine": c.recipient_email.lower() == email.lower(), "code": format_code(c.code)}
            for c in cards]


def _card_row(card: GiftCard) -> dict[str, Any]:
    return {"card": card, "initial": queries.money(card.initial, card.currency),
            "balance": queries.money(card.balance, card.currency)}


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))

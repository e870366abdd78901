"""Reads for the venue's payment pages: the ledger filtered by dates and kind with its totals, gift cards sold,
and a customer's gift cards. Amounts come back formatted in the venue's locale (`queries.money`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate

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


def _sum_where(condition: Q, amount: Any = None) -> Sum:
    """SUM over the rows meeting `condition` of `amount` (the entry's own by default), 0 when none do."""
    return Sum(Case(When(condition, then=F("amount") if amount is None else amount), default=Value(0)),
               output_field=BigIntegerField())


def totals(rows: QuerySet[LedgerEntry]) -> list[dict[str, str]]:
    """Per currency: taken (charges and gift cards used), fees, refunded and the net, formatted; summed in SQL
    over every row."""
    fee, money_out = Q(kind=Entry.FEE), Q(amount__lt=0)
    sums = (rows.order_by().values("currency")
            .annotate(taken=_sum_where(~fee & ~money_out), fees=_sum_where(fee), refunded=_sum_where(~fee & money_out))
            .order_by("currency"))
    return [{"currency": s["currency"], **{k: queries.money(s[k], s["currency"]) for k in ("taken", "fees",
                                                                                         "refunded")},
             "net": queries.money(s["taken"] + s["fees"] + s["refunded"], s["currency"])} for s in sums]


def day_totals(rows: QuerySet[LedgerEntry], venue: Venue) -> list[dict[str, Any]]:
    """Per local day of `venue` and currency, oldest first: `taken` (every entry in: charges, fees, gift cards
    used) and `refunded` (every entry out, as a positive number), in minor units; summed in SQL over every row,
    however many (a day runs from local midnight to local midnight, 23 or 25 hours when the clocks change)."""
    return list(rows.order_by().annotate(day=TruncDate("created_at", tzinfo=venue.tz)).values("day", "currency")
                .annotate(taken=_sum_where(Q(amount__gt=0)), refunded=_sum_where(Q(amount__lt=0), -F("amount")))
                .order_by("day", "currency"))


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

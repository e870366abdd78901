"""The partner API for payments: a venue's policy, its payments, refunds and fees per booking and per day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from pamper.accounts.auth import bearer
from pamper.bookings.workspace import Perm, api_workspace
from pamper.errors import Refusal
from pamper.lib import fields
from pamper.lib.dates import DiaryDate
from pamper.lib.fields import Id, Input
from pamper.lib.money import money_str

from . import actions, fees, queries, rules, statements
from .forms import parse_amount
from .models import SHARES, LedgerEntry, Mode, PaymentPolicy, Share

router = Router(tags=["partner payments"], auth=bearer)
P = "/partner/venues/{venue_id}"
Amount = Annotated[fields.Amount, Field(le=100000)]


class PolicyIO(Input):
    mode: Mode = Mode.PAY_AT_VENUE
    deposit_kind: Share = Share.PERCENT
    deposit_value: Amount = Decimal(0)
    free_cancel_hours: int = Field(24, ge=0, le=24 * 60)
    late_fee_kind: Share = Share.PERCENT
    late_fee_value: Amount = Decimal(0)
    no_show_fee_kind: Share = Share.PERCENT
    no_show_fee_value: Amount = Decimal(0)
    consultations_free: bool = True


class RefundIn(Input):
    amount: str = Field(description="In the venue's currency, e.g. '9.00'.", max_length=20)
    reason: str = Field(max_length=300)


class FeeIn(Input):
    kind: str = Field(pattern="^(no_show|late_cancel)$")
    reason: str = Field(max_length=300)


class EntryOut(Schema):
    id: int
    kind: str
    amount: str
    currency: str
    booking_id: int | None
    stripe_id: str
    reason: str
    created_at: str


class DayOut(Schema):
    date: str
    currency: str
    taken: str
    refunded: str


class PaymentsOut(Schema):
    entries: list[EntryOut]
    days: list[DayOut]


def _policy_values(data: PolicyIO) -> dict[str, Any]:
    values = data.dict()
    if values["deposit_kind"] == rules.PERCENT and values["deposit_value"] > 100:
        # xgettext:no-python-format
        raise Refusal(422, "invalid_policy", gettext("A deposit cannot be more than 100% of the price."))
    return values


@router.get(P + "/payment-policy", response=PolicyIO, summary="The venue's payment and cancellation policy")
def get_policy(request: HttpRequest, venue_id: Id) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    policy = queries.venue_policy(ws.venue)
    return PolicyIO().dict() if policy is None else _policy_out(policy)


@router.put(P + "/payment-policy", response=PolicyIO, summary="Set the venue's payment and cancellation policy")
def put_policy(request: HttpRequest, venue_id: Id, data: PolicyIO) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    policy = actions.set_policy(venue=ws.venue, values=_policy_values(data))
    return _policy_out(policy)


def _policy_out(policy: PaymentPolicy) -> dict[str, Any]:
    """The policy's fields; a fixed amount written with its currency's decimals (money_str: a ¥500 deposit is
    '500', not '500.00'), a percentage as stored."""
    values = {f: getattr(policy, f) for f in PolicyIO.model_fields}
    for kind, value in SHARES:
        if values[kind] == rules.FIXED:
            values[value] = Decimal(money_str(values[value], policy.venue.currency))
    return values


def _entry(row: LedgerEntry) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "amount": rules.major_str(row.amount, row.currency),
            "currency": row.currency, "booking_id": row.booking_id, "stripe_id": row.stripe_id,
            "reason": row.reason_shown,
            "created_at": row.created_at.astimezone(dt.UTC).isoformat()}


class PaymentsQuery(Schema):
    booking_id: Id | None = None
    from_date: DiaryDate | None = Field(None, alias="from", description="First local date (default: the first).")
    to_date: DiaryDate | None = Field(None, alias="to", description="Last local date (default: the last).")


@router.get(P + "/payments", response=PaymentsOut,
            summary="Payments, refunds and fees: the newest 500, and every one counted per local day")
def payments(request: HttpRequest, venue_id: Id, params: Query[PaymentsQuery]) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    if params.from_date and params.to_date and params.to_date < params.from_date:
        raise Refusal(422, "invalid_range", gettext("The last day comes before the first."))
    return _payments(ws, params.booking_id, params.from_date, params.to_date)


def _payments(ws: Any, booking_id: int | None, start: dt.date | None = None,
              end: dt.date | None = None) -> dict[str, Any]:
    """The entries (newest 500) and the day totals (every entry, summed in SQL) of the venue's ledger, for one
    booking or all, from `start` to `end` (local dates, both included; open when None)."""
    rows = statements.ledger(ws.venue, start=start, end=end)
    if booking_id is not None:
        rows = rows.filter(booking_id=booking_id)
    entries = list(rows.select_related(None).order_by("-id")[:500])
    days = statements.day_totals(rows, ws.venue)
    return {"entries": [_entry(r) for r in entries],
            "days": [{"date": d["day"].isoformat(), "currency": d["currency"],
                      "taken": rules.major_str(d["taken"], d["currency"]),
                      "refunded": rules.major_str(d["refunded"], d["currency"])} for d in days]}


def _booking(ws: Any, booking_id: int) -> Any:
    return get_object_or_404(ws.bookings().select_related("venue"), pk=booking_id)


@router.post(P + "/bookings/{booking_id}/refund", response={200: PaymentsOut},
             summary="Refund part or all of what a booking paid, with a reason")
def refund(request: HttpRequest, venue_id: Id, booking_id: Id, data: RefundIn) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    booking = _booking(ws, booking_id)
    amount = parse_amount(data.amount, ws.venue.currency)
    actions.refund_by_venue(booking=booking, amount=amount, reason=data.reason, actor=request.auth)  # type: ignore[arg-type]
    return _payments(ws, booking_id)


@router.post(P + "/bookings/{booking_id}/fee", response={200: PaymentsOut},
             summary="Charge the no-show or late-cancellation fee the client accepted, with a reason")
def fee(request: HttpRequest, venue_id: Id, booking_id: Id, data: FeeIn) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    booking = _booking(ws, booking_id)
    fees.charge_fee(booking=booking, kind=data.kind, reason=data.reason, actor=request.auth)  # type: ignore[arg-type]
    return _payments(ws, booking_id)


__all__ = ["router"]

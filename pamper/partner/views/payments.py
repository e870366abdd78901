"""The venue's payment pages: the payment policy (on the policies page), the ledger with filters, refunds and
fees from a booking, gift cards sold. Every write calls the same payments action as the partner API, with the
same checks: a booking of another venue is a 404, and Perm.SETUP is needed, as in the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.bookings.hooks import payment_summaries
from pamper.bookings.models import Booking
from pamper.bookings.workspace import Perm, Workspace
from pamper.errors import Refusal
from pamper.lib.refusals import form_attempt
from pamper.payments import actions, fees, queries, statements
from pamper.payments.forms import FeeForm, LedgerFilter, PolicyForm, RefundForm, parse_amount
from pamper.payments.models import Mode, PaymentPolicy

from ..forms import PolicyForm as BookingPolicyForm
from .common import render_ws, workspace_view


def policy_form(ws: Workspace, data: Any = None) -> PolicyForm:
    """The venue's payment policy form (its current policy, or the defaults: pay at the venue)."""
    return PolicyForm(data, instance=queries.venue_policy(ws.venue) or PaymentPolicy(venue=ws.venue))


def booking_payment(ws: Workspace, booking: Booking) -> dict[str, Any]:
    """What the booking panel shows of the payment, with the refund and fee forms where the owner may use them."""
    summary = payment_summaries([booking]).get(booking.pk)
    if summary is None:
        return {}
    return {"payment": summary, "payment_kind": Mode(summary["kind"]).label,
            "refund_form": RefundForm(prefix="refund", initial={
                "amount": Decimal(summary["paid"]) - Decimal(summary["refunded"])}),
            "fee_form": FeeForm(prefix="fee"), "can_pay_back": ws.can(Perm.SETUP)}


@require_POST
@workspace_view(Perm.SETUP)
def payment_policy(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = policy_form(ws, request.POST)
    if form.is_valid() and form_attempt(form, lambda: actions.set_policy(venue=ws.venue, values=form.cleaned_data)):
        messages.success(request, gettext("Payment policy saved."))
        return redirect("partner:policies", ws.venue.pk)
    context = {"form": BookingPolicyForm(instance=ws.venue), "payment_form": form, "section": "policies"}
    return render_ws(request, ws, "partner/policies.html", context, 400)


@workspace_view(Perm.SETUP)
def payments(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """The ledger: payments, refunds, fees and gift cards used, filtered by local dates and kind, with totals."""
    form = LedgerFilter(request.GET or None)
    found = form.cleaned_data if form.is_valid() else {}
    rows = statements.ledger(ws.venue, start=found.get("start"), end=found.get("end"), kind=found.get("kind", ""))
    context = {"form": form, "rows": statements.rows_for_page(rows, ws.venue), "totals": statements.totals(rows),
               "section": "payments", "page_size": statements.PAGE}
    return render_ws(request, ws, "partner/payments/ledger.html", context, 200 if form.is_valid() or not
                     request.GET else 400)


@workspace_view(Perm.SETUP)
def gift_cards(request: HttpRequest, ws: Workspace) -> HttpResponse:
    return render_ws(request, ws, "partner/payments/gift_cards.html",
                     {"cards": statements.gift_cards_sold(ws.venue), "section": "payments"})


def _booking(ws: Workspace, booking_id: int) -> Booking:
    return get_object_or_404(ws.bookings().select_related("venue", "client"), pk=booking_id)


def _back(ws: Workspace, booking: Booking) -> HttpResponse:
    return redirect("partner:booking", ws.venue.pk, booking.pk)


@require_POST
@workspace_view(Perm.SETUP)
def refund(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    """Refund part or all of what a booking paid, with a reason: actions.refund_by_venue, as the API."""
    booking = _booking(ws, booking_id)
    form = RefundForm(request.POST, prefix="refund")
    try:
        if not form.is_valid():
            raise Refusal(422, "invalid", gettext("Give an amount and a reason."))
        amount = parse_amount(form.cleaned_data["amount"], ws.venue.currency)
        actions.refund_by_venue(booking=booking, amount=amount, reason=form.cleaned_data["reason"], actor=ws.user)
    except Refusal as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Refunded %(amount)s.") % {
            "amount": queries.money(amount, ws.venue.currency)})
    return _back(ws, booking)


@require_POST
@workspace_view(Perm.SETUP)
def fee(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    """Charge the no-show or late-cancellation fee the client accepted: fees.charge_fee, as the API."""
    booking = _booking(ws, booking_id)
    form = FeeForm(request.POST, prefix="fee")
    try:
        if not form.is_valid():
            raise Refusal(422, "invalid", gettext("Choose the fee and give a reason."))
        amount = fees.charge_fee(booking=booking, kind=form.cleaned_data["kind"],
                                    reason=form.cleaned_data["reason"], actor=ws.user)
    except Refusal as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Fee charged: %(amount)s.") % {
            "amount": queries.money(amount, ws.venue.currency)})
    return _back(ws, booking)

"""The fees a client accepted at booking: the no-show and late-cancellation fees charged off-session on the card
they gave, and a no-show fee given back when the visit is corrected to attended. Their money moves through
actions.refund_card and the ledger like any other."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.bookings.models import Booking, Status
from pamper.errors import Refusal
from pamper.lib import clock

from . import gateway, gifts, queries, rules
from .actions import _ledger, _paid_payment, refund_card
from .models import NO_SHOW_FEE_RETURNED, BookingPayment, Entry, LedgerEntry

FEE_KINDS = ("no_show", "late_cancel")


def charge_fee(*, booking: Booking, kind: str, reason: str, actor: User, now: dt.datetime | None = None) -> int:
    """Charge the no-show or late-cancellation fee the customer accepted at booking, off-session on the card
    they gave, less what the venue already holds (a deposit, by card or gift card). Returns the amount charged
    (minor units).

    Refusal 422 reason_required / fee_not_due (not a no-show, cancelled in time, no such fee accepted), 409
    fee_already_charged, 402 card_declined.
    """
    now = now or clock.now()
    reason = reason.strip()[:300]
    if not reason:
        raise Refusal(422, "reason_required", _("Say why you charge the fee: the client will read it."))
    with transaction.atomic():  # the booking's row locked: a correction to attended waits, or comes after
        Booking.objects.select_for_update().filter(pk=booking.pk).first()
        return _charge_fee(booking, kind, reason, actor, now)


def _charge_fee(booking: Booking, kind: str, reason: str, actor: User, now: dt.datetime) -> int:
    payment = _paid_payment(booking)
    booking = payment.booking
    if kind == "no_show":
        fee, due = payment.no_show_fee, booking.status == Status.NO_SHOW
    elif kind == "late_cancel":
        fee = payment.late_cancel_fee
        due = (booking.status == Status.CANCELLED and booking.cancelled_by_id == booking.customer_id and
               rules.is_late(start=booking.start, now=booking.cancelled_at or now,
                             free_cancel_hours=payment.free_cancel_hours, grace_end=booking.grace_until))
    else:
        raise Refusal(422, "invalid_kind", _("The fee is no_show or late_cancel."))
    if not due or fee <= 0 or not payment.payment_method_id:
        raise Refusal(422, "fee_not_due", _("This fee is not due under the terms the client accepted."))
    if LedgerEntry.objects.filter(booking_id=booking.pk, kind=Entry.FEE).exists():
        raise Refusal(409, "fee_already_charged", _("A fee was already charged for this booking."))
    paid, refunded = queries.paid_and_refunded(booking.pk)
    redeemed, credited = gifts.used_on(booking.pk)  # what gift cards paid is held by the venue as the card's part is
    amount = rules.fee_to_charge(fee=fee, paid=paid + redeemed, refunded=refunded + credited)
    if amount > 0:
        intent = gateway.plain(gateway.charge_off_session(
            amount=amount, currency=payment.currency, customer=payment.customer_id,
            payment_method=payment.payment_method_id, metadata={"booking": str(booking.pk), "fee": kind},
            key=f"pamper-fee-{booking.pk}-{kind}"))
        if intent["status"] != "succeeded":
            raise Refusal(402, "card_declined", _("The client's bank refused the fee."))
        _ledger(kind=Entry.FEE, amount=amount, currency=payment.currency, stripe_id=intent["id"],
                venue_id=payment.venue_id, booking_id=booking.pk, reason=f"{kind}: {reason}"[:300], actor=actor)
    return amount


def return_no_show_fee(*, booking_id: int) -> int:
    """A no-show corrected to attended: give back the no-show fee charged for it, once, on the card it was taken
    from (the deposit stays with the venue, as for any visit). Returns the amount refunded (minor units)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
        if booking is None or booking.status != Status.ATTENDED:
            return 0
        fee = LedgerEntry.objects.filter(booking_id=booking_id, kind=Entry.FEE, reason__startswith="no_show:").first()
        returned = LedgerEntry.objects.filter(booking_id=booking_id, kind=Entry.REFUND, reason=NO_SHOW_FEE_RETURNED)
        payment = BookingPayment.objects.filter(booking_id=booking_id).first()
        if fee is None or payment is None or returned.exists():
            return 0
        paid, refunded = queries.paid_and_refunded(booking_id)
        amount = min(fee.amount, rules.refundable(paid, refunded))
        if amount <= 0:
            return 0
        return refund_card(payment=payment, amount=amount, key=f"pamper-fee-return-{booking_id}",
                           reason=NO_SHOW_FEE_RETURNED)

"""A cancelled booking gets back what its terms give back: on the card it paid with, then on the gift cards it
used. Run once the cancellation commits (receivers.booking_changed, tasks.refund_cancelled), for any
cancellation, whether or not the customer is told of it by email (`cancel_booking(notify=False)`)."""

from __future__ import annotations

import datetime as dt

from pamper.bookings.models import Status
from pamper.lib import clock

from . import actions, gifts, queries, rules
from .models import CANCELLED_BY_CUSTOMER, CANCELLED_BY_VENUE, BookingPayment, PaymentState


def refund_for_cancellation(*, booking_id: int, now: dt.datetime | None = None) -> int:
    """Refund a cancelled booking by its terms: all when the venue cancelled, the customer cancelled in time or
    the booking was never confirmed (its payment never went through); otherwise what was paid less the
    late-cancellation fee. What was paid counts the card and the gift cards; the card is refunded first, the
    rest credited back on the gift cards. A booking whose payment hold ran out gets back what gift cards paid.
    Returns the amount given back (minor units); 0 for a card on file."""
    payment = BookingPayment.objects.select_related("booking", "booking__venue").filter(booking_id=booking_id).first()
    if payment is None or payment.kind == rules.CARD_ON_FILE:
        return 0
    booking = payment.booking
    if booking.status == Status.EXPIRED:  # its hold ran out: a card payment arriving late is refunded on arrival
        redeemed, credited = gifts.used_on(booking_id)  # (actions._refund_late); the gift cards get theirs here
        return gifts.credit_back(booking=booking, amount=redeemed - credited, now=now)
    if booking.status != Status.CANCELLED:
        return 0
    never_confirmed = payment.state not in actions.FINAL
    by_venue = never_confirmed or booking.customer_id is None or booking.cancelled_by_id != booking.customer_id
    late = rules.is_late(start=booking.start, now=booking.cancelled_at or now or clock.now(),
                         free_cancel_hours=payment.free_cancel_hours, grace_end=booking.grace_until)
    paid, refunded = queries.paid_and_refunded(booking_id)
    redeemed, credited = gifts.used_on(booking_id)
    amount = rules.cancellation_refund(paid=paid + redeemed, refunded=refunded + credited,
                                       fee=payment.late_cancel_fee, late=late, by_venue=by_venue)
    if amount <= 0:
        return 0
    on_card = min(amount, rules.refundable(paid, refunded))
    if on_card > 0:
        on_card = actions.refund_card(payment=payment, amount=on_card, key=f"pamper-cancel-{booking_id}-{refunded}",
                                      reason=CANCELLED_BY_VENUE if by_venue else CANCELLED_BY_CUSTOMER)
        if refunded + on_card >= paid:
            actions._set_state(payment, PaymentState.REFUNDED)
    return on_card + gifts.credit_back(booking=booking, amount=amount - on_card, now=now)

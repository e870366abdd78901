"""Background work for payments (django-tasks): refunds after a cancellation, the hold sweep's follow-up."""

from __future__ import annotations

from django_tasks import task

from . import cancelling, fees, gateway
from .models import BookingPayment, PaymentState


@task()
def refund_cancelled(booking_id: int) -> int:
    """Refund a cancelled booking by its terms (once: the idempotency key and the ledger see to repeats)."""
    return cancelling.refund_for_cancellation(booking_id=booking_id)


@task()
def return_no_show_fee(booking_id: int) -> int:
    """Give back the no-show fee of a visit corrected to attended (once: the ledger sees to repeats)."""
    return fees.return_no_show_fee(booking_id=booking_id)


@task()
def cancel_expired_intents(booking_ids: list[int]) -> int:
    """Stop the PaymentIntents of visits whose hold ran out, so a late payment is less likely (one that still
    succeeds is refunded when its event arrives)."""
    rows = BookingPayment.objects.filter(booking_id__in=booking_ids, intent_id__startswith="pi_",
                                         state__in=[PaymentState.AWAITING, PaymentState.ACTION, PaymentState.FAILED])
    count = 0
    for intent_id in rows.values_list("intent_id", flat=True):
        gateway.cancel_payment_intent(intent_id)
        count += 1
    return count

"""What payments does when a booking changes (bookings.hooks.booking_changed, connected in PaymentsConfig.ready)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction

from . import actions, closing, tasks
from .models import Entry, LedgerEntry

logger = logging.getLogger(__name__)


def booking_changed(sender: Any, *, booking_id: int, kind: str, **kwargs: Any) -> None:
    """A cancelled booking that was paid is refunded by its terms once the cancellation commits; a payment hold
    that ran out gives its gift cards back and its PaymentIntent is cancelled at Stripe; a no-show corrected to
    attended gives back the no-show fee charged for it. Never raises."""
    if kind == "attended":
        if LedgerEntry.objects.filter(booking_id=booking_id, kind=Entry.FEE, reason__startswith="no_show:").exists():
            transaction.on_commit(partial(_enqueue_fee_return, int(booking_id)), robust=True)
        return
    if kind not in ("cancelled", "expired"):
        return
    transaction.on_commit(partial(_enqueue, int(booking_id), kind), robust=True)


def _enqueue_fee_return(booking_id: int) -> None:
    try:
        tasks.return_no_show_fee.enqueue(booking_id)
    except Exception:
        logger.exception("could not queue the return of booking %s's no-show fee", booking_id)


def _enqueue(booking_id: int, kind: str) -> None:
    try:
        tasks.refund_cancelled.enqueue(booking_id)
    except Exception:
        logger.exception("could not queue the refund of booking %s", booking_id)
    if kind != "expired":
        return
    try:  # the customer's payment page stops taking the card (a payment that still lands is refunded)
        tasks.cancel_expired_intents.enqueue([booking_id])
    except Exception:
        logger.exception("could not queue the cancellation of booking %s's payment", booking_id)


def account_closing(sender: Any, *, user: Any, now: Any, **kwargs: Any) -> None:
    """accounts.hooks.account_closing: the person's saved cards are detached at Stripe and forgotten here, inside
    the closing transaction (Stripe not answering refuses the closing: 502, nothing changed here), and the gift
    cards they bought or received stop carrying their address."""
    actions.forget_cards(user=user)
    closing.forget_gift_addresses(user=user)

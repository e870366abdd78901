"""What the waitlist does when a lower layer changes: connected in WaitlistConfig.ready."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from pamper.bookings.models import Booking

from . import actions, tasks

# Changes that may free a time in the diary.
FREEING = frozenset({"cancelled", "moved"})


def booking_changed(sender: Any, *, booking_id: int, kind: str, **kwargs: Any) -> None:
    """bookings.hooks.booking_changed: after a cancellation or a move commits, offer the freed time."""
    if kind in FREEING:
        transaction.on_commit(partial(_booking_freed, booking_id), robust=True)


def _booking_freed(booking_id: int) -> None:
    venue_id = Booking.objects.filter(pk=booking_id).values_list("venue_id", flat=True).first()
    if venue_id is not None:
        tasks.queue_offers(venue_id)


def venue_changed(sender: Any, *, venue_id: int, **kwargs: Any) -> None:
    """venues.hooks.venue_changed (a new shift, hours, time off removed ...): offer what it freed, after commit."""
    transaction.on_commit(partial(tasks.queue_offers, venue_id), robust=True)


def account_closing(sender: Any, *, user: Any, now: Any, **kwargs: Any) -> None:
    """accounts.hooks.account_closing: the person's waitlist entries go, in the closing transaction."""
    actions.forget_customer(customer=user, now=now)

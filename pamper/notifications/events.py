"""What notifications does when a booking changed.

`booking_changed(booking_id, kind)` runs on bookings.hooks.booking_changed,
which bookings.actions and clinical.actions send inside their transaction
(connected in NotificationsConfig.ready, through receivers.booking_changed).
It only registers an on-commit hook: nothing is queued when the transaction
rolls back, and nothing it does (queue down, bad kind) can make the caller's
write fail. A booking never fails because of mail, and a lost event is caught
up by the minute sweep (actions.plan_missed_confirmations).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from pamper.lib.commits import enqueue_best_effort
from pamper.notifications import tasks
from pamper.notifications.models import BookingCalendar

logger = logging.getLogger(__name__)

KINDS = frozenset({
    "created",             # a new booking (online or entered by the venue)
    "confirmed",           # the venue confirmed a pending booking
    "moved",               # start/end/staff changed
    "cancelled",           # by the customer or the venue
    "attended",            # the visit happened: review request later
    "patch_test_passed",   # clinical: result recorded on the patch-test booking
    "patch_test_failed",
    "session_done",        # clinical: a treatment session was completed: aftercare + check-in
})
# Events after which a calendar application must replace its copy of the event.
NEW_VERSION_KINDS = frozenset({"moved", "cancelled"})


def booking_changed(booking_id: int, kind: str, *, by_venue: bool = False) -> None:
    """Queue the messages for `kind` on booking `booking_id` once the transaction commits.

    `by_venue=True` says the venue made the change itself, so its own
    notices (moved, cancelled) are not sent back to it. Unknown kinds are
    logged and ignored. Never raises.
    """
    try:
        if kind not in KINDS:
            logger.error("booking_changed: unknown kind %r for booking %s; ignored", kind, booking_id)
            return
        booking_id = int(booking_id)
        if kind in NEW_VERSION_KINDS:
            BookingCalendar.bump(booking_id)  # with the change itself: feeds stay in step while the queue is behind
        transaction.on_commit(partial(_enqueue, booking_id, kind, bool(by_venue)), robust=True)
    except Exception:
        logger.exception("booking_changed(%s, %r) could not be registered", booking_id, kind)


def _enqueue(booking_id: int, kind: str, by_venue: bool) -> None:
    """Put the event task on the queue; a queue failure is logged, never raised."""
    try:
        enqueue_best_effort(tasks.handle_booking_event, booking_id, kind, by_venue)  # the minute sweep catches up
    except Exception:
        logger.exception("could not queue notifications for booking %s (%s)", booking_id, kind)

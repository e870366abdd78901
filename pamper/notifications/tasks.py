"""Background tasks (django-tasks): the same code on the database queue, RQ or in-process.

Arguments are plain ids and strings (JSON), never model instances. Each task
reads the clock itself, so a task that waited in the queue acts on the state
at the time it runs.
"""

from __future__ import annotations

import logging

from django_tasks import task

from pamper.lib import clock
from pamper.notifications import actions, outbox

logger = logging.getLogger(__name__)


@task()
def handle_booking_event(booking_id: int, kind: str, by_venue: bool = False) -> dict[str, int]:
    """Plan the messages a booking event calls for and send those due now.

    Returns counts by outcome (sent, skipped, pending, deferred). A mail
    server that is down leaves messages pending for the sweep to retry.
    """
    now = clock.now()
    due = actions.notify_booking_event(booking_id=booking_id, kind=kind, now=now, by_venue=by_venue)
    return outbox.deliver_many(due, now)


@task()
def sweep_notifications() -> dict[str, int]:
    """The minute sweep: reminders, review requests, stale claims and retries. Idempotent."""
    counts = actions.sweep(now=clock.now())
    if any(counts.values()):
        logger.info("notifications sweep: %s", counts)
    return counts


@task()
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Send these messages now (the mail held for an address just confirmed); the sweep retries what fails."""
    return outbox.deliver_many(message_ids, clock.now())

"""Background work for the waitlist (django-tasks): offer what a change freed, and the minute sweep."""

from __future__ import annotations

import logging

from django_tasks import task

from pamper.lib import clock

from . import actions
from .models import Entry, EntryStatus

logger = logging.getLogger(__name__)

SWEEP_VENUES = 200


@task()
def offer_venue(venue_id: int) -> int:
    """Offer the venue's freed times to its waitlist. Returns how many offers were made."""
    return len(actions.offer_freed_times(venue_id=venue_id))


@task()
def sweep_waitlist() -> int:
    """Every minute: settle open offers (expired ones go to the next customer), then offer what time alone
    freed (a released checkout hold, an entry's days coming into the horizon). Returns offers made."""
    now = clock.now()
    venues = actions.sweep_offers(now=now)
    waiting = (Entry.objects.filter(status=EntryStatus.WAITING).values_list("venue_id", flat=True)
               .distinct().order_by("venue_id")[:SWEEP_VENUES])
    made = 0
    for venue_id in sorted(venues | set(waiting)):
        try:
            made += len(actions.offer_freed_times(venue_id=venue_id, now=now))
        except Exception:  # one broken venue must not stop the sweep
            logger.exception("waitlist offers failed for venue %s", venue_id)
    return made


def queue_offers(venue_id: int) -> None:
    """Queue an offer run for the venue when someone waits there (call after commit). Never raises."""
    try:
        if Entry.objects.filter(venue_id=venue_id, status=EntryStatus.WAITING).exists():
            offer_venue.enqueue(venue_id)
    except Exception:
        logger.exception("could not queue the waitlist offers of venue %s", venue_id)

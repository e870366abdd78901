"""Background work for bookings (django-tasks). The scheduler queues the sweeps every minute."""

from __future__ import annotations

from django_tasks import task

from pamper.lib import clock

from . import actions, idempotency, nextfree, paying
from .models import Booking, Status

# At most, per minute (the sweep stops after SWEEP_SECONDS): a venue takes about 5 ms at 200,000 venues, so 6,000
# a minute recheck all of them within the hour (nextfree.RECHECK_MINUTES) with room for the slots that pass.
SWEEP_VENUES = 6000
SWEEP_SECONDS = 40.0


@task()
def expire_holds() -> int:
    """Free checkout holds past their 10 minutes, refresh those venues' next free slots, forget day-old
    Idempotency-Key answers. Returns how many holds expired."""
    now = clock.now()
    venues = set(
        Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now).values_list("venue_id", flat=True)[:1000]
    )
    count = actions.expire_holds(now=now)
    count += len(paying.expire_payment_holds(now=now))  # visits whose payment did not come in time
    nextfree.refresh_many(venues, now)
    idempotency.purge(now)
    return count


@task()
def refresh_next_available(limit: int = SWEEP_VENUES) -> int:
    """Recompute the next free slot of venues never computed, then of those whose shown slot passed, then of
    those computed longest ago (nextfree.stale_venues), for at most SWEEP_SECONDS."""
    now = clock.now()
    return nextfree.refresh_many(nextfree.stale_venues(now, limit), now, budget_seconds=SWEEP_SECONDS)

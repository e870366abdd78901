"""Operations tasks queued by the scheduler (pamper run_scheduler, in ops)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django_tasks import task

from pamper.lib import clock
from pamper.ops.housekeeping import housekeeping as run_housekeeping
from pamper.ops.readiness import HEARTBEAT_KEY
from pamper.ops.stale_tasks import requeue_stale_tasks as requeue


@task()
def requeue_stale_tasks() -> int:
    """Queue again the tasks a dead worker left RUNNING; returns how many."""
    return len(requeue(now=clock.now()))


@task()
def worker_heartbeat() -> float:
    """Note in the cache that a task worker is alive (the scheduler queues it every minute; /readyz reads it)."""
    beat = time.time()
    cache.set(HEARTBEAT_KEY, beat, timeout=None)
    return beat


@task()
def housekeeping() -> dict[str, int]:
    """Clear expired sessions, old task results, spent idempotency keys and holds (queued hourly)."""
    return run_housekeeping(clock.now())

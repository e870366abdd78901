"""Operations tasks queued by the scheduler (pamper run_scheduler, in ops)."""

from __future__ import annotations

from django_tasks import task

from pamper.lib import clock
from pamper.ops.stale_tasks import requeue_stale_tasks as requeue


@task()
def requeue_stale_tasks() -> int:
    """Queue again the tasks a dead worker left RUNNING; returns how many."""
    return len(requeue(now=clock.now()))

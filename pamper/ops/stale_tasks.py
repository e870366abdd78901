"""Tasks left RUNNING by a worker that died are put back in the queue.

What django-tasks-db does: a worker claims a task by setting its row to
RUNNING (with started_at and its worker id) and only looks for READY rows
afterwards. A worker killed with SIGKILL, by the out-of-memory killer or a
power cut never finishes the row, so the task stays RUNNING for ever and no
worker runs it again: it is lost. (A worker stopped with SIGTERM or Ctrl-C
finishes its task first.)

`requeue_stale_tasks` sets RUNNING rows that started more than `older_than`
ago back to READY, so the next free worker runs them again. `older_than` must
be longer than the longest task (Pamper's are seconds: emails, sweeps), or a
slow task still running would be started twice. Pamper's tasks are written to
be safe to run twice (notification sends are claimed by a unique record first).
The scheduler queues the sweep every minute (pamper.ops.tasks); the command
`pamper requeue_stale_tasks` runs it by hand.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)


def requeue_stale_tasks(*, now: dt.datetime, older_than: dt.timedelta = STALE_AFTER) -> list[str]:
    """Put RUNNING tasks that started before now - older_than back to READY; returns their ids."""
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - older_than
        )
        ids = [str(pk) for pk in stale.values_list("id", flat=True)]
        if ids:
            DBTaskResult.objects.filter(id__in=ids).update(status=TaskResultStatus.READY, started_at=None)
    for pk in ids:
        logger.warning("Task %s was left running by a worker that stopped; queued again", pk)
    return ids

"""Commits that need not wait for the disk.

On PostgreSQL every commit waits until its record is flushed to disk (5 ms on this machine's disk, against 0.1 ms
for the insert itself). A booking is such a commit and must stay one. What is queued after it (the notifications
of the change, the refresh of the venue's next free slot) is another commit each, and waiting for the disk there
bought nothing: a crash of this process between the booking's commit and the queueing loses the task just the same,
and both are caught up by periodic sweeps (notifications.actions.plan_missed_confirmations, the next-free refresh).
`best_effort()` makes such a write a transaction of its own whose commit returns at once (synchronous_commit off,
for that transaction only); PostgreSQL still writes it within a fraction of a second and keeps it consistent, and
only a crash of the database server in that fraction can lose it. SQLite's commits in WAL mode wait for no flush
already, so nothing changes there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django_tasks_db.backend import DatabaseBackend


@contextmanager
def best_effort(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction for a write that may be lost in a crash of the database server (see the module docstring).

    Inside a transaction already, nothing changes: that transaction's own commit decides, and it must wait.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def enqueue_best_effort(task: Any, *args: Any, **kwargs: Any) -> Any:
    """`task.enqueue(*args, **kwargs)`; on the database queue, in a `best_effort()` transaction of its own (after
    a commit, a task that a periodic sweep catches up). Any other queue (RQ, the immediate one in tests) as it is."""
    if isinstance(task.get_backend(), DatabaseBackend):
        with best_effort(router.db_for_write(apps.get_model("django_tasks_database", "DBTaskResult"))):
            return task.enqueue(*args, **kwargs)
    return task.enqueue(*args, **kwargs)

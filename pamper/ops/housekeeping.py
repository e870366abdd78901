"""The hourly housekeeping (the `housekeeping` task, queued by `pamper run_scheduler`): clear what only grows.

- expired sessions (Django's sessions table gains a row per visitor who signs in);
- finished task results of the database queue: successful ones after a day, failed ones after a week (kept
  that long to be looked at);
- spent Idempotency-Key answers (older than a day; the minute sweep also does it) and checkout holds that
  expired more than 30 days ago (pamper.bookings.housekeeping).

Each step deletes in batches, so no statement holds locks on a large table for long, and each is idempotent:
two schedulers or a slow run do no harm.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pamper.bookings import idempotency
from pamper.bookings.housekeeping import purge_spent_holds

KEEP_SUCCESSFUL = dt.timedelta(days=1)
KEEP_FAILED = dt.timedelta(days=7)
BATCH = 5000


def _in_batches(queryset: object) -> int:
    """Delete the rows of a queryset BATCH ids at a time; returns how many."""
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])  # type: ignore[attr-defined]
        if not ids:
            return total
        total += queryset.model.objects.filter(pk__in=ids).delete()[0]  # type: ignore[attr-defined]


def clear_sessions(now: dt.datetime) -> int:
    """Expired sessions; with a session engine other than the database, its own clear_expired()."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        return 0
    return _in_batches(Session.objects.filter(expire_date__lt=now))


def clear_task_results(now: dt.datetime) -> int:
    successful = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    return _in_batches(successful) + _in_batches(failed)


def housekeeping(now: dt.datetime) -> dict[str, int]:
    """Run every step; returns how many rows each removed."""
    return {
        "sessions": clear_sessions(now),
        "task_results": clear_task_results(now),
        "idempotency_keys": idempotency.purge(now),
        "spent_holds": purge_spent_holds(now=now),
    }

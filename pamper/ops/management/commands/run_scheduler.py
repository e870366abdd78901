"""`pamper run_scheduler`: queue the periodic sweeps once a minute.

The scheduler only enqueues; the task worker (`pamper db_worker`, or an RQ
worker) runs the sweeps. Every sweep is idempotent, so running two schedulers,
or a sweep that overlaps the previous one, sends nothing twice. The sweeps are
imported at the top: a missing one stops the command at start, loudly, instead
of being skipped (ops stands above every app it schedules).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from pamper.bookings.tasks import expire_holds, refresh_next_available
from pamper.lib import clock
from pamper.notifications.tasks import sweep_notifications
from pamper.ops.tasks import housekeeping, requeue_stale_tasks, worker_heartbeat
from pamper.practitioners.tasks import sweep_credentials
from pamper.waitlist.tasks import sweep_waitlist

logger = logging.getLogger("pamper.scheduler")

PRUNE_EVERY = 3600.0  # seconds between clean-ups of old sweep results
KEEP_RESULTS = dt.timedelta(days=1)

# django-tasks Task objects, each called with no arguments.
SWEEPS = [
    sweep_notifications,  # reminders, follow-ups, review requests, retries
    expire_holds,
    refresh_next_available,
    sweep_waitlist,  # expired waitlist offers go to the next customer; times freed by time alone are offered
    requeue_stale_tasks,  # tasks a killed worker left RUNNING go back in the queue
    sweep_credentials,  # credentials ending in 30 or 7 days, and the bookings of those that lapsed
    worker_heartbeat,  # /readyz: a worker ran it lately
]

# Queued once an hour (and at start): sessions, task results, idempotency keys and holds that only grow.
HOURLY = [housekeeping]


def _still_waiting(task: Any) -> bool:
    """True when the database queue already holds this sweep, not yet started.

    A stopped worker then finds one sweep of each kind waiting, not one per
    minute of the outage. (RQ keeps no such cheap index: always queue there.)
    """
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def prune_sweep_results(now: dt.datetime, keep: dt.timedelta = KEEP_RESULTS) -> int:
    """Delete the database queue's finished results of our sweeps older than `keep`; returns how many."""
    paths = [task.module_path for task in SWEEPS]
    return DBTaskResult.objects.filter(
        task_path__in=paths, status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - keep
    ).delete()[0]


def enqueue_sweeps(tasks: list[Any] | None = None) -> list[str]:
    """Queue each sweep once; returns the paths of those queued. A queue that refuses one is logged and the
    others still go: the command never stops over one round."""
    queued = []
    for task in tasks if tasks is not None else SWEEPS:
        path = task.module_path
        try:
            if _still_waiting(task):
                logger.info("scheduler: %s is still waiting for a worker; not queued again", path)
                continue
            task.enqueue()
        except Exception:
            logger.exception("scheduler: could not queue %s", path)
            continue
        queued.append(path)
    return queued


class Command(BaseCommand):
    help = ("Queue the periodic sweeps (reminders, hold expiry, next-free-slot refresh, follow-ups) every minute "
            "and the housekeeping every hour.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between rounds (default 60).")
        parser.add_argument("--once", action="store_true", help="Queue one round and exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        self._running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        last_prune = -PRUNE_EVERY
        while self._running:
            started = time.monotonic()
            queued = enqueue_sweeps()
            logger.debug("scheduler: queued %s", ", ".join(queued) or "nothing")
            if started - last_prune >= PRUNE_EVERY:
                last_prune = started
                self._prune()
                enqueue_sweeps(HOURLY)
            if once:
                return
            self._sleep(max(0.0, interval - (time.monotonic() - started)))

    def _sleep(self, seconds: float) -> None:
        # Short naps so Ctrl-C / SIGTERM stops the loop promptly.
        deadline = time.monotonic() + seconds
        while self._running and time.monotonic() < deadline:
            time.sleep(min(0.5, deadline - time.monotonic()))

    def _prune(self) -> None:
        try:
            pruned = prune_sweep_results(clock.now())
        except Exception:  # the queue may be RQ, or the table busy: try again next time
            logger.exception("scheduler: could not prune old sweep results")
            return
        if pruned:
            logger.info("scheduler: pruned %s old sweep results", pruned)

    def _stop(self, *_: object) -> None:
        self._running = False

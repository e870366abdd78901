"""`pamper run_scheduler`: queue the periodic sweeps once a minute.

The scheduler only enqueues; the task worker (`pamper db_worker`, or an RQ
worker) runs the sweeps. Every sweep is idempotent, so running two schedulers,
or a sweep that overlaps the previous one, sends nothing twice. Sweeps that
belong to other apps are imported by dotted path when they are due: a missing
one is skipped with a log line, so this command runs while those apps are
still being written.
"""

from __future__ import annotations

import logging
import signal
import time
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger("pamper.scheduler")

# Dotted paths of django-tasks Task objects, each called with no arguments.
SWEEPS = [
    "pamper.notifications.tasks.sweep_notifications",  # reminders, follow-ups, review requests, retries
    "pamper.bookings.tasks.expire_holds",
    "pamper.bookings.tasks.refresh_next_available",
]


def load_task(path: str) -> Any | None:
    """The task at `path`, or None (logged) when the module or name does not exist (yet)."""
    module_name, _, name = path.rpartition(".")
    try:
        found = getattr(import_module(module_name), name)
    except (ImportError, AttributeError):
        logger.info("scheduler: %s does not exist; skipped", path)
        return None
    if not hasattr(found, "enqueue"):
        logger.warning("scheduler: %s is not a task; skipped", path)
        return None
    return found


def enqueue_sweeps(paths: list[str] | None = None) -> list[str]:
    """Queue each sweep once; returns the paths that were queued. Never raises."""
    queued = []
    for path in paths if paths is not None else SWEEPS:
        task = load_task(path)
        if task is None:
            continue
        try:
            task.enqueue()
        except Exception:
            logger.exception("scheduler: could not queue %s", path)
            continue
        queued.append(path)
    return queued


class Command(BaseCommand):
    help = "Queue the periodic sweeps (reminders, hold expiry, next-free-slot refresh, follow-ups) every minute."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between rounds (default 60).")
        parser.add_argument("--once", action="store_true", help="Queue one round and exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        self._running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self._running:
            started = time.monotonic()
            queued = enqueue_sweeps()
            logger.debug("scheduler: queued %s", ", ".join(queued) or "nothing")
            if once:
                return
            self._sleep(max(0.0, interval - (time.monotonic() - started)))

    def _sleep(self, seconds: float) -> None:
        # Short naps so Ctrl-C / SIGTERM stops the loop promptly.
        deadline = time.monotonic() + seconds
        while self._running and time.monotonic() < deadline:
            time.sleep(min(0.5, deadline - time.monotonic()))

    def _stop(self, *_: object) -> None:
        self._running = False

"""`pamper requeue_stale_tasks [--minutes N]`: queue again the tasks a dead worker left RUNNING."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pamper.lib import clock
from pamper.ops.stale_tasks import STALE_AFTER, requeue_stale_tasks


class Command(BaseCommand):
    help = "Put tasks left RUNNING for more than N minutes (a worker was killed) back in the queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=int(STALE_AFTER.total_seconds() // 60),
                            help="How long a task may run before it counts as abandoned (default %(default)s).")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = requeue_stale_tasks(now=clock.now(), older_than=dt.timedelta(minutes=max(1, options["minutes"])))
        self.stdout.write(f"Queued again: {len(ids)} task(s).")

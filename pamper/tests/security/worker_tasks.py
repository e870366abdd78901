"""A task for the killed-worker test: the first run hangs (so the worker can be killed in it), a later run finishes."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_once(folder: str) -> str:
    """First call: leaves 'started' in folder and sleeps a minute. Later calls: leave 'done' and return."""
    started, done = Path(folder) / "started", Path(folder) / "done"
    if not started.exists():
        started.write_text("1")
        time.sleep(60)
    done.write_text("1")
    return "done"

"""A worker killed mid-task (SIGKILL) leaves the task RUNNING; the stale-task sweep queues it again and it runs.

`pamper db_worker` runs in a subprocess on the test database. The task's
first run hangs; the worker is killed inside it. django-tasks-db leaves the
row RUNNING and no worker would ever pick it up (a fresh worker in batch mode
finds nothing to do). After the sweep (pamper.ops.stale_tasks) the next
worker runs it to the end.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from pamper.ops.stale_tasks import STALE_AFTER, requeue_stale_tasks

from .worker_tasks import slow_once

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker(*args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "TASKS_BACKEND": "db"}
    env.pop("PAMPER_TESTING", None)
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2",
                             "--no-reload", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def status(pk: object) -> str:
    return DBTaskResult.objects.get(pk=pk).status


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_is_queued_again_and_completes(settings, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = slow_once.enqueue(str(tmp_path))
    first = worker()
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "started").exists(), first.stdout.read1().decode() if first.stdout else ""
        assert status(result.id) == "RUNNING"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    # django-tasks-db's own behaviour: the row stays RUNNING and a new worker does not touch it.
    assert worker("--batch").wait(timeout=60) == 0
    assert status(result.id) == "RUNNING" and not (tmp_path / "done").exists()

    # A young RUNNING task is left alone; once older than the threshold it is queued again.
    started = DBTaskResult.objects.get(pk=result.id).started_at
    assert requeue_stale_tasks(now=started + dt.timedelta(minutes=1)) == []
    assert requeue_stale_tasks(now=started + STALE_AFTER + dt.timedelta(seconds=1)) == [str(result.id)]
    assert status(result.id) == "READY"

    again = worker("--batch")
    assert again.wait(timeout=60) == 0, again.stdout.read().decode() if again.stdout else ""
    assert status(result.id) == "SUCCESSFUL"
    assert (tmp_path / "done").exists()
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 2

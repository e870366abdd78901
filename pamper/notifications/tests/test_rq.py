"""The Redis queue (django-tasks-rq) runs the same notification task, in a real RQ worker process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pamper.lib import clock
from pamper.notifications.models import Kind, Message

from .helpers import book

REDIS_URL = os.environ.get("PAMPER_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[3]


def redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url() -> str:
    """The URL of the test database this process uses, for the worker process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_sends_the_confirmation(smtp, world, settings):
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()

    start = (clock.now() + dt.timedelta(days=10)).replace(hour=12, minute=0, second=0, microsecond=0)
    booking = book(world, start)
    waiting = [job.func_name for job in queue.jobs]  # in Redis, not run in this process
    assert waiting.count("pamper.notifications.tasks.handle_booking_event") == 1
    assert smtp.inbox.messages == []

    env = {
        **os.environ, "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL, "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "PAMPER_TESTING": "1", "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "default", "--burst", "--worker-class", "rq.SimpleWorker"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert queue.count == 0

    smtp.inbox.wait_for(3)
    [mail] = smtp.inbox.to(world.customer.email)
    assert mail["Subject"].startswith(f"Booking confirmed: {world.venue.name}")
    assert Message.objects.get(booking=booking, kind=Kind.CONFIRMATION).status == "sent"
    assert len(smtp.inbox.to(world.venue.email)) == 1

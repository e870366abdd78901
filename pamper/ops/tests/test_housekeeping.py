"""The hourly housekeeping clears what only grows, and no more; index migrations on big tables do not lock writes."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pamper.bookings.models import Booking, BookingItem, IdempotencyRecord, Status
from pamper.bookings.tests import helpers as h
from pamper.lib import clock
from pamper.ops.housekeeping import housekeeping
from pamper.ops.tasks import worker_heartbeat
from pamper.tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db


def finished(status: str, days_ago: float, now: dt.datetime) -> DBTaskResult:
    worker_heartbeat.enqueue()
    row = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert row is not None
    DBTaskResult.objects.filter(pk=row.pk).update(status=status, finished_at=now - dt.timedelta(days=days_ago))
    return row


def test_housekeeping_clears_only_what_is_spent(settings) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=now - dt.timedelta(minutes=1))

    keep = {finished(TaskResultStatus.SUCCESSFUL, 0.5, now).pk, finished(TaskResultStatus.FAILED, 3, now).pk}
    gone = {finished(TaskResultStatus.SUCCESSFUL, 2, now).pk, finished(TaskResultStatus.FAILED, 8, now).pk}
    worker_heartbeat.enqueue()  # still waiting: never cleared
    # Every waiting task stays (a row left by another test's late worker thread included).
    keep |= set(DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list("pk", flat=True))
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path__endswith="worker_heartbeat").exists()

    user = UserFactory(email="keys@pamper.example", password="x" * 12, name="")
    IdempotencyRecord.objects.create(user=user, key="old", request_hash="a", status_code=201, body={})
    IdempotencyRecord.objects.filter(key="old").update(created_at=now - dt.timedelta(days=2))
    IdempotencyRecord.objects.create(user=user, key="new", request_hash="b", status_code=201, body={})

    shop = h.shop()
    start = now + dt.timedelta(days=3)
    spent = BookingFactory(service=shop.cut, staff=shop.anna, start=start, status=Status.EXPIRED,
                           hold_expires_at=now - dt.timedelta(days=31))
    recent = BookingFactory(service=shop.cut, staff=shop.anna, start=start, status=Status.EXPIRED,
                            hold_expires_at=now - dt.timedelta(days=29))
    attended = BookingFactory(service=shop.cut, staff=shop.ben, start=now - dt.timedelta(days=60))

    counts = housekeeping(now)
    assert counts == {"sessions": 1, "task_results": 2, "idempotency_keys": 1, "spent_holds": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == keep and not gone & keep
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert set(Booking.objects.values_list("pk", flat=True)) == {recent.pk, attended.pk}
    assert not BookingItem.objects.filter(booking_id=spent.pk).exists()
    assert housekeeping(now) == {"sessions": 0, "task_results": 0, "idempotency_keys": 0, "spent_holds": 0}


def test_the_scheduler_queues_the_housekeeping(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("run_scheduler", "--once", stdout=StringIO())
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"pamper.ops.tasks.housekeeping", "pamper.ops.tasks.worker_heartbeat"} <= paths


@pytest.mark.django_db(transaction=True)  # CONCURRENTLY refuses to run, or even be written, inside a transaction
def test_the_idempotency_index_is_built_concurrently_on_postgresql() -> None:
    if connection.vendor == "postgresql":  # (SQLite's schema editor cannot even collect SQL in a test transaction)
        out = StringIO()
        call_command("sqlmigrate", "bookings", "0005", stdout=out)
        assert 'CREATE INDEX CONCURRENTLY "idempotency_created_at"' in out.getvalue()
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, IdempotencyRecord._meta.db_table)
    assert indexes["idempotency_created_at"]["columns"] == ["created_at"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idempotency_created_at'::regclass")
            assert cursor.fetchone() == (True,)

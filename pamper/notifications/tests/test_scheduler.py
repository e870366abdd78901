"""`pamper run_scheduler` queues the minute sweeps, imported by name: none can go missing silently."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.management import call_command

from pamper.bookings import tasks as booking_tasks
from pamper.notifications import tasks as notification_tasks
from pamper.ops.management.commands import run_scheduler

from .helpers import book, utc

pytestmark = pytest.mark.django_db


class QueueDown:
    """A sweep whose queue cannot be reached."""

    module_path = "pamper.bookings.tasks.expire_holds"

    def get_backend(self) -> None:
        raise ConnectionError("queue down")


def test_a_sweep_the_queue_refuses_is_logged_and_the_others_still_go(caplog):
    caplog.set_level(logging.INFO, logger="pamper.scheduler")
    queued = run_scheduler.enqueue_sweeps([QueueDown(), notification_tasks.sweep_notifications])
    assert queued == ["pamper.notifications.tasks.sweep_notifications"]
    assert "could not queue pamper.bookings.tasks.expire_holds" in caplog.text


def test_every_sweep_is_a_task_imported_by_name():
    assert all(hasattr(task, "enqueue") and task.module_path.startswith("pamper.") for task in run_scheduler.SWEEPS)


def test_one_round_sends_a_due_reminder(smtp, world):
    start = utc(2026, 6, 10, 13, 30)
    with time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False):
        book(world, start)  # inside the test transaction: no confirmation is sent
    with time_machine.travel(start - dt.timedelta(hours=2), tick=False):
        call_command("run_scheduler", "--once")
    assert [m["Subject"].split(":")[0] for m in smtp.inbox.to(world.customer.email)] == ["Reminder"]


def test_the_default_sweeps_include_holds_and_next_free_slot():
    assert booking_tasks.expire_holds in run_scheduler.SWEEPS
    assert booking_tasks.refresh_next_available in run_scheduler.SWEEPS


def test_with_the_worker_stopped_each_sweep_waits_once_and_old_results_are_pruned(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sweep = [notification_tasks.sweep_notifications]
    paths = ["pamper.notifications.tasks.sweep_notifications"]
    assert run_scheduler.enqueue_sweeps(sweep) == paths
    assert run_scheduler.enqueue_sweeps(sweep) == []  # the first is still waiting
    assert DBTaskResult.objects.filter(task_path=paths[0], status="READY").count() == 1

    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=utc(2026, 6, 1, 9, 0))
    assert run_scheduler.enqueue_sweeps(sweep) == paths  # finished: the next one is queued
    assert run_scheduler.prune_sweep_results(utc(2026, 6, 1, 12, 0)) == 0  # kept for a day
    assert run_scheduler.prune_sweep_results(utc(2026, 6, 2, 10, 0)) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1

"""`pamper run_scheduler` queues the minute sweeps; missing sweeps of other apps are skipped."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.management import call_command

from pamper.notifications.management.commands import run_scheduler

from .helpers import book, utc

pytestmark = pytest.mark.django_db


def test_missing_sweeps_are_skipped_with_a_log_line(caplog):
    caplog.set_level(logging.INFO, logger="pamper.scheduler")
    queued = run_scheduler.enqueue_sweeps([
        "pamper.notifications.tasks.sweep_notifications",
        "pamper.nowhere.tasks.expire_holds",
        "pamper.notifications.tasks.no_such_task",
        "pamper.notifications.tasks.logging",  # exists, but is not a task
    ])
    assert queued == ["pamper.notifications.tasks.sweep_notifications"]
    assert "pamper.nowhere.tasks.expire_holds does not exist; skipped" in caplog.text
    assert "no_such_task does not exist; skipped" in caplog.text
    assert "is not a task" in caplog.text


def test_one_round_sends_a_due_reminder(smtp, world):
    start = utc(2026, 6, 10, 13, 30)
    with time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False):
        book(world, start)  # inside the test transaction: no confirmation is sent
    with time_machine.travel(start - dt.timedelta(hours=2), tick=False):
        call_command("run_scheduler", "--once")
    assert [m["Subject"].split(":")[0] for m in smtp.inbox.to(world.customer.email)] == ["Reminder"]


def test_the_default_sweeps_include_holds_and_next_free_slot():
    assert "pamper.bookings.tasks.expire_holds" in run_scheduler.SWEEPS
    assert "pamper.bookings.tasks.refresh_next_available" in run_scheduler.SWEEPS


def test_with_the_worker_stopped_each_sweep_waits_once_and_old_results_are_pruned(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    paths = ["pamper.notifications.tasks.sweep_notifications"]
    assert run_scheduler.enqueue_sweeps(paths) == paths
    assert run_scheduler.enqueue_sweeps(paths) == []  # the first is still waiting
    assert DBTaskResult.objects.filter(task_path=paths[0], status="READY").count() == 1

    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=utc(2026, 6, 1, 9, 0))
    assert run_scheduler.enqueue_sweeps(paths) == paths  # finished: the next one is queued
    assert run_scheduler.prune_sweep_results(utc(2026, 6, 1, 12, 0)) == 0  # kept for a day
    assert run_scheduler.prune_sweep_results(utc(2026, 6, 2, 10, 0)) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1

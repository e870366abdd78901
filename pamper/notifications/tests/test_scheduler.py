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

"""Reminders: sent once at the venue's lead time, in local time, never for cancelled bookings."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from pamper.notifications.models import Kind, Message, Preference
from pamper.notifications.tasks import sweep_notifications

from .helpers import book, calendar_of, cancel, make_world, move, text_of, utc

pytestmark = pytest.mark.django_db

BOOKED_AT = utc(2026, 6, 1, 9, 0)
START = utc(2026, 6, 10, 13, 30)  # 14:30 BST


def reminders_to(smtp, address: str) -> list:
    return [m for m in smtp.inbox.to(address) if m["Subject"].startswith("Reminder")]


def sweep_at(when: dt.datetime) -> dict:
    with time_machine.travel(when, tick=False):
        return sweep_notifications.enqueue().return_value


@pytest.fixture
def booking(world, django_capture_on_commit_callbacks):
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        return book(world, START)


def test_reminder_goes_out_at_the_lead_time_and_only_once(smtp, world, booking):
    sweep_at(START - dt.timedelta(hours=24, seconds=1))
    assert reminders_to(smtp, world.customer.email) == []

    sweep_at(START - dt.timedelta(hours=24))
    sweep_at(START - dt.timedelta(hours=23))
    sweep_at(START - dt.timedelta(hours=1))
    [mail] = reminders_to(smtp, world.customer.email)
    assert mail["Subject"] == f"Reminder: {world.venue.name} on Wed 10 Jun 2026, 14:30 BST"
    assert "Wed 10 Jun 2026, 14:30 BST" in text_of(mail)
    assert Message.objects.filter(booking=booking, kind=Kind.REMINDER).count() == 1


def test_the_venue_sets_the_lead(smtp, world, booking):
    world.venue.reminder_lead_hours = 3
    world.venue.save()
    sweep_at(START - dt.timedelta(hours=4))
    assert reminders_to(smtp, world.customer.email) == []
    sweep_at(START - dt.timedelta(hours=3))
    assert len(reminders_to(smtp, world.customer.email)) == 1


def test_a_venue_with_lead_zero_sends_no_reminders(smtp, world, booking):
    world.venue.reminder_lead_hours = 0
    world.venue.save()
    sweep_at(START - dt.timedelta(hours=1))
    assert reminders_to(smtp, world.customer.email) == []


def test_no_reminder_for_a_cancelled_booking(smtp, world, booking, django_capture_on_commit_callbacks):
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        cancel(booking, world.customer)
    for hours in (24, 12, 1):
        sweep_at(START - dt.timedelta(hours=hours))
    assert reminders_to(smtp, world.customer.email) == []
    assert not Message.objects.filter(booking=booking, kind=Kind.REMINDER).exists()


def test_a_reminder_queued_before_a_cancellation_is_not_sent(smtp, world, booking, django_capture_on_commit_callbacks):
    """The mail server is down when the reminder is due; the booking is cancelled before it comes back."""
    smtp.stop()
    sweep_at(START - dt.timedelta(hours=24))
    reminder = Message.objects.get(booking=booking, kind=Kind.REMINDER)
    assert reminder.status == "pending" and reminder.attempts == 1

    with time_machine.travel(START - dt.timedelta(hours=22),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        cancel(booking, world.owner)  # inside the notice window only the venue can cancel
    smtp.start()
    sweep_at(START - dt.timedelta(hours=20))
    reminder.refresh_from_db()
    assert reminder.status == "skipped"
    assert reminders_to(smtp, world.customer.email) == []


def test_a_moved_booking_is_reminded_of_its_new_time(smtp, world, booking, django_capture_on_commit_callbacks):
    sweep_at(START - dt.timedelta(hours=24))
    new_start = START + dt.timedelta(days=2)
    with time_machine.travel(START - dt.timedelta(hours=20),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        move(booking, new_start)
    sweep_at(new_start - dt.timedelta(hours=24))
    first, second = reminders_to(smtp, world.customer.email)
    assert "Wed 10 Jun 2026, 14:30" in first["Subject"]
    assert "Fri 12 Jun 2026, 14:30" in second["Subject"]


def test_a_booking_made_inside_the_lead_gets_no_separate_reminder(smtp, world, django_capture_on_commit_callbacks):
    with time_machine.travel(START - dt.timedelta(hours=5),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        book(world, START)
    sweep_at(START - dt.timedelta(hours=4))
    assert reminders_to(smtp, world.customer.email) == []
    assert len(smtp.inbox.to(world.customer.email)) == 1  # the confirmation


def test_switched_off_reminders_are_not_sent(smtp, world, booking):
    Preference.objects.create(user=world.customer, reminders=False)
    sweep_at(START - dt.timedelta(hours=2))
    assert reminders_to(smtp, world.customer.email) == []
    assert Message.objects.get(booking=booking, kind=Kind.REMINDER).status == "skipped"


def test_a_patch_test_appointment_gets_the_patch_test_reminder(smtp, world, django_capture_on_commit_callbacks):
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        book(world, START, service=world.patch_service)
    sweep_at(START - dt.timedelta(hours=2))
    [mail] = reminders_to(smtp, world.customer.email)
    assert mail["Subject"].startswith("Reminder: your patch test at")
    assert "48 hours" in text_of(mail)


@pytest.mark.parametrize(
    ("start", "local"),
    [
        (utc(2026, 3, 28, 10, 0), "Sat 28 Mar 2026, 10:00 GMT"),   # the day before clocks go forward
        (utc(2026, 3, 29, 9, 0), "Sun 29 Mar 2026, 10:00 BST"),    # the day they do
        (utc(2026, 10, 24, 9, 0), "Sat 24 Oct 2026, 10:00 BST"),   # the day before they go back
        (utc(2026, 10, 25, 10, 0), "Sun 25 Oct 2026, 10:00 GMT"),  # the day they do
    ],
)
def test_local_time_on_both_sides_of_a_daylight_saving_change(smtp, world, django_capture_on_commit_callbacks,
                                                              start, local):
    with time_machine.travel(start - dt.timedelta(days=10),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        book(world, start)
    [confirmation] = smtp.inbox.to(world.customer.email)
    assert confirmation["Subject"].endswith(local)
    event = calendar_of(confirmation).walk("VEVENT")[0]
    assert event.start == start  # the same instant, written in UTC
    assert event.start.astimezone(world.venue.tz).replace(tzinfo=None) == dt.datetime(start.year, start.month,
                                                                                      start.day, 10, 0)

    # "24 hours before" is 24 real hours, whatever the clocks did in between.
    sweep_at(start - dt.timedelta(hours=24, minutes=1))
    assert reminders_to(smtp, world.customer.email) == []
    sweep_at(start - dt.timedelta(hours=24))
    [reminder] = reminders_to(smtp, world.customer.email)
    assert reminder["Subject"].endswith(local)
    assert local in text_of(reminder)


def test_another_zone_is_named_in_its_own_terms(smtp, django_capture_on_commit_callbacks):
    world = make_world(tz="Europe/Madrid")
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        book(world, START)
    [mail] = smtp.inbox.to(world.customer.email)
    assert mail["Subject"].endswith("Wed 10 Jun 2026, 15:30 CEST")  # in Madrid's time, its zone by name, no zone id
    assert calendar_of(mail).walk("VEVENT")[0].start == START  # the instant; the calendar shows it in its own zone


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_send_one_reminder(smtp, world):
    with time_machine.travel(BOOKED_AT, tick=False):
        booking = book(world, START)  # committed for real: the confirmation goes out
    smtp.inbox.wait_for(3)
    due = START - dt.timedelta(hours=23)
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            from pamper.notifications import actions

            results.append(actions.sweep(now=due))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(due, tick=True):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    assert sum(r.get("sent", 0) for r in results) == 1
    assert len(reminders_to(smtp, world.customer.email)) == 1
    assert Message.objects.filter(booking=booking, kind=Kind.REMINDER).count() == 1

"""When mail fails: the booking stands, nothing is lost, retries back off, and events never raise."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from pamper.bookings.models import Booking
from pamper.notifications import outbox
from pamper.notifications.events import booking_changed
from pamper.notifications.models import Kind, Message
from pamper.notifications.tasks import sweep_notifications

from .helpers import book, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 9, 0)
START = utc(2026, 6, 10, 13, 30)


def test_retry_delays_double_up_to_an_hour():
    delays = [outbox.retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[-1] == dt.timedelta(hours=1)
    assert delays == sorted(delays)


@pytest.mark.django_db(transaction=True)
def test_the_booking_succeeds_while_the_mail_server_is_down_and_mail_follows_when_it_is_back(smtp, world):
    smtp.stop()
    with time_machine.travel(NOW, tick=False):
        booking = book(world, START)
    assert Booking.objects.filter(pk=booking.pk).exists()
    confirmation = Message.objects.get(booking=booking, kind=Kind.CONFIRMATION)
    assert confirmation.status == "pending"
    assert confirmation.attempts == 1
    assert confirmation.due_at == NOW + dt.timedelta(minutes=1)
    assert "Connection refused" in confirmation.last_error or "Errno" in confirmation.last_error

    # Still down a minute later: the next retry waits twice as long.
    with pytest.raises(outbox.MailUnavailable):
        outbox.deliver(confirmation.pk, NOW + dt.timedelta(minutes=1))
    confirmation.refresh_from_db()
    assert (confirmation.attempts, confirmation.due_at) == (2, NOW + dt.timedelta(minutes=3))
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        sweep_notifications.enqueue()
    assert Message.objects.filter(status="pending").count() == Message.objects.count()

    smtp.start()
    with time_machine.travel(NOW + dt.timedelta(minutes=2, seconds=30), tick=False):
        sweep_notifications.enqueue()  # the venue's notices are due; the confirmation is not yet
    assert smtp.inbox.to(world.customer.email) == []
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        sweep_notifications.enqueue()
        sweep_notifications.enqueue()
    confirmation.refresh_from_db()
    assert confirmation.status == "sent"
    assert [m["Subject"].split(":")[0] for m in smtp.inbox.to(world.customer.email)] == ["Booking confirmed"]
    # The venue's notices were held back too and arrive now, once each.
    assert len(smtp.inbox.to(world.venue.email)) == 1
    assert len(smtp.inbox.to(world.owner.email)) == 1


def test_a_message_that_keeps_failing_is_marked_failed_and_can_be_retried(smtp, world,
                                                                          django_capture_on_commit_callbacks):
    smtp.stop()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        booking = book(world, START)
    message = Message.objects.get(booking=booking, kind=Kind.CONFIRMATION)
    Message.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS - 1, due_at=NOW)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        outbox.deliver_many([message.pk], NOW + dt.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == "failed"

    smtp.start()
    later = NOW + dt.timedelta(hours=3)
    assert outbox.retry_failed([message.pk], later) == 1
    with time_machine.travel(later, tick=False):
        sweep_notifications.enqueue()
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(smtp.inbox.to(world.customer.email)) == 1


def test_a_sender_that_died_mid_send_is_replaced_after_its_claim_expires(smtp, world):
    with time_machine.travel(NOW, tick=False):
        booking = book(world, START)  # on_commit never runs inside this test's transaction
    message = outbox.plan_message(outbox.Plan(booking.pk, Kind.CONFIRMATION, world.customer.email), NOW)
    assert outbox.claim(message.pk, NOW)  # a worker took it ... and vanished
    assert not outbox.claim(message.pk, NOW)
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        sweep_notifications.enqueue()
    assert smtp.inbox.messages == []  # the claim still holds
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        sweep_notifications.enqueue()
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(smtp.inbox.messages) == 1


@time_machine.travel(NOW, tick=False)
def test_planning_the_same_message_twice_keeps_one_record(world):
    booking = book(world, START)
    plan = outbox.Plan(booking.pk, Kind.CONFIRMATION, world.customer.email.upper())
    assert outbox.plan_message(plan, NOW) is not None
    assert outbox.plan_message(plan, NOW) is None
    assert Message.objects.filter(booking=booking).count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_nothing_is_queued_when_the_booking_transaction_rolls_back(smtp, world):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        book(world, START)
        raise Abort
    assert not Booking.objects.exists()
    assert not Message.objects.exists()
    assert smtp.inbox.messages == []


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_a_broken_queue_or_a_bad_kind_never_breaks_the_booking(world, monkeypatch, caplog):
    from pamper.notifications import tasks

    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue unavailable")

    monkeypatch.setattr(tasks, "handle_booking_event", BrokenQueue())
    booking = book(world, START)
    with transaction.atomic():
        booking_changed(booking.pk, "exploded")
        booking_changed("not a number", "created")  # type: ignore[arg-type]
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert "could not queue notifications" in caplog.text
    assert "unknown kind" in caplog.text


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=True)
def test_with_the_database_queue_the_event_waits_for_the_worker(world, settings):
    """The default backend stores the task; `db_worker` runs it (here: one batch)."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    booking = book(world, START)
    assert DBTaskResult.objects.filter(task_path="pamper.notifications.tasks.handle_booking_event").count() == 1
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert [m.to for m in mail.outbox if m.subject.startswith("Booking confirmed")] == [[world.customer.email]]
    assert Message.objects.get(booking=booking, kind=Kind.CONFIRMATION).status == "sent"


def test_a_lost_event_is_caught_up_by_the_sweep(smtp, world):
    """The event task never ran (queue down at commit, worker crashed): the sweep sends the confirmation."""
    with time_machine.travel(NOW, tick=False):
        booking = book(world, START)  # on_commit never runs inside this test's transaction
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        sweep_notifications.enqueue()
    assert smtp.inbox.messages == []  # the event task still has its head start
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        sweep_notifications.enqueue()
        sweep_notifications.enqueue()
    assert [m["Subject"].split(":")[0] for m in smtp.inbox.to(world.customer.email)] == ["Booking confirmed"]
    assert len(smtp.inbox.to(world.venue.email)) == 1
    assert Message.objects.get(booking=booking, kind=Kind.CONFIRMATION).status == "sent"

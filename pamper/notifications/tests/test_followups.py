"""Patch-test results, aftercare, the two-day check-in and review requests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pamper.bookings.models import Status
from pamper.notifications.models import Kind, Message, Preference
from pamper.notifications.tasks import sweep_notifications

from .helpers import attend, book, clinical_event, session_done, text_of, utc

pytestmark = pytest.mark.django_db

BOOKED_AT = utc(2026, 6, 1, 9, 0)
START = utc(2026, 6, 10, 13, 30)
AFTER = START + dt.timedelta(hours=1, minutes=5)


def subjects(smtp, address: str) -> list[str]:
    return [m["Subject"] for m in smtp.inbox.to(address)]


def sweep_at(when: dt.datetime) -> None:
    with time_machine.travel(when, tick=False):
        sweep_notifications.enqueue()


@pytest.fixture
def done(world, django_capture_on_commit_callbacks):
    """A booking made earlier and attended now, with everything switched off where allowed."""
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        booking = book(world, START)
    return booking


def test_aftercare_comes_straight_after_the_session_and_the_check_in_two_days_later(smtp, world, done,
                                                                                    django_capture_on_commit_callbacks):
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        attend(done)
        session_done(done)
    [aftercare] = [m for m in smtp.inbox.to(world.customer.email) if m["Subject"].startswith("Aftercare")]
    body = text_of(aftercare)
    assert "Wear SPF 50 for two weeks." in body and "Do not pick flaking skin." in body
    assert "One or two days of redness." in body
    assert "Wed 10 Jun 2026, 14:30" in body

    sweep_at(AFTER + dt.timedelta(days=2) - dt.timedelta(minutes=1))
    assert not any(s.startswith("How are you feeling") for s in subjects(smtp, world.customer.email))
    sweep_at(AFTER + dt.timedelta(days=2))
    sweep_at(AFTER + dt.timedelta(days=2, minutes=1))
    checkins = [m for m in smtp.inbox.to(world.customer.email) if m["Subject"].startswith("How are you feeling")]
    assert len(checkins) == 1
    assert "redness, tightness" in text_of(checkins[0])


def test_safety_messages_cannot_be_switched_off(smtp, world, done, django_capture_on_commit_callbacks):
    Preference.objects.create(
        user=world.customer, booking_updates=False, reminders=False, patch_test_reminders=False, checkins=False,
        review_requests=False,
    )
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        attend(done)
        session_done(done)
    sweep_at(AFTER + dt.timedelta(days=3))
    got = subjects(smtp, world.customer.email)
    assert [s.split(" ")[0] for s in got] == ["Booking", "Aftercare"]  # the confirmation went before the switch-off
    assert Message.objects.get(booking=done, kind=Kind.CHECKIN).status == "skipped"


def test_a_review_request_follows_an_attended_visit(smtp, world, done, django_capture_on_commit_callbacks):
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        attend(done)
    assert not any(s.startswith("How was your visit") for s in subjects(smtp, world.customer.email))
    sweep_at(done.end + dt.timedelta(hours=2))
    sweep_at(done.end + dt.timedelta(hours=3))
    [request] = [m for m in smtp.inbox.to(world.customer.email) if m["Subject"].startswith("How was your visit")]
    assert f"/bookings/{done.pk}/" in text_of(request) or "review" in text_of(request)


def test_the_sweep_asks_for_reviews_even_without_the_event(smtp, world, done):
    """A visit marked attended by another path still gets its one review request."""
    done.status = Status.ATTENDED
    done.save()
    sweep_at(done.end + dt.timedelta(hours=2, minutes=1))
    sweep_at(done.end + dt.timedelta(hours=5))
    assert len([s for s in subjects(smtp, world.customer.email) if s.startswith("How was your visit")]) == 1


def test_no_review_request_for_a_no_show(smtp, world, done, django_capture_on_commit_callbacks):
    from pamper.bookings.attendance import mark_no_show

    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        mark_no_show(booking=done, now=AFTER)
    sweep_at(done.end + dt.timedelta(hours=3))
    assert not any(s.startswith("How was your visit") for s in subjects(smtp, world.customer.email))


def test_a_passed_patch_test_tells_the_customer_and_confirms_the_waiting_treatment(smtp, world,
                                                                                   django_capture_on_commit_callbacks):
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        test = book(world, START, service=world.patch_service)
        treatment = book(world, START + dt.timedelta(days=3), status=Status.AWAITING_PATCH_TEST, depends_on=test)
    assert subjects(smtp, world.customer.email)[1].startswith("Booking request received")

    with time_machine.travel(START + dt.timedelta(days=2),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        treatment.status = Status.CONFIRMED
        treatment.save()
        clinical_event(test, Status.ATTENDED, "patch_test_passed")
    got = subjects(smtp, world.customer.email)
    assert got[-2:] == [
        f"Your patch-test result from {world.venue.name}",
        f"Booking confirmed: {world.venue.name} on Sat 13 Jun 2026, 14:30 BST",
    ]
    result = smtp.inbox.to(world.customer.email)[-2]
    assert "showed no reaction" in text_of(result)
    assert "Glow peel, Sat 13 Jun 2026, 14:30 BST: Confirmed" in text_of(result)


def test_a_failed_patch_test_explains_and_lists_the_cancelled_treatment(smtp, world,
                                                                        django_capture_on_commit_callbacks):
    with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        test = book(world, START, service=world.patch_service)
        treatment = book(world, START + dt.timedelta(days=3), status=Status.AWAITING_PATCH_TEST, depends_on=test)
    with time_machine.travel(START + dt.timedelta(days=2),
                             tick=False), django_capture_on_commit_callbacks(execute=True):
        # As clinical does after a reaction: the waiting treatment is cancelled without its own event.
        treatment.status, treatment.cancelled_by = Status.CANCELLED, world.staff_user
        treatment.cancel_reason = "The patch test showed a reaction."
        treatment.save()
        clinical_event(test, Status.ATTENDED, "patch_test_failed")
    result = next(m for m in smtp.inbox.to(world.customer.email) if m["Subject"].startswith("Your patch-test result"))
    body = text_of(result)
    assert "showed a reaction" in body
    assert "Glow peel, Sat 13 Jun 2026, 14:30 BST: Cancelled" in body
    assert "always sent" in body
    # The treatment's own cancellation follows; the venue, which recorded the result, is not told again.
    assert any(m["Subject"].startswith("Booking cancelled") for m in smtp.inbox.to(world.customer.email))
    assert not any(m["Subject"].startswith("Booking cancelled") for m in smtp.inbox.to(world.venue.email))

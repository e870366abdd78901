"""Booking emails delivered through a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pamper.bookings.models import Status
from pamper.notifications.models import Message
from pamper.notifications.models import Status as MessageStatus
from pamper.tests.factories import ClientFactory

from .helpers import book, calendar_of, cancel, confirm, html_of, move, text_of, utc

pytestmark = pytest.mark.django_db


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_confirmation_arrives_with_a_valid_calendar_invitation(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))

    [mail] = smtp.inbox.to(world.customer.email)
    # An email is read later and anywhere: every time in it names the venue's zone (DESIGN: time).
    assert mail["Subject"] == f"Booking confirmed: {world.venue.name} on Wed 10 Jun 2026, 14:30 BST"
    assert mail["Reply-To"] == world.venue.email
    text, html = text_of(mail), html_of(mail)
    for body in (text, html):
        assert "Wed 10 Jun 2026, 14:30 BST" in body
        assert "Wed 10 Jun 2026, 15:30 BST" in body  # the end
        assert "14:30" not in body.replace("14:30 BST", "")  # no time without its zone
        assert "Glow peel with Pat" in body
        assert "£85" in body
    cal = calendar_of(mail)
    assert cal is not None
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]).startswith(f"booking-{booking.pk}@")
    assert event["SEQUENCE"] == 0
    assert event.start == dt.datetime(2026, 6, 10, 14, 30, tzinfo=world.venue.tz)
    assert event["DTSTART"].to_ical() == b"20260610T133000Z"  # in UTC: the same instant in every calendar
    assert event.end - event.start == dt.timedelta(minutes=60)
    assert str(event["ORGANIZER"]) == f"mailto:{world.venue.email}"


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_the_venue_hears_of_new_bookings_and_cancellations(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    for address in (world.venue.email, world.owner.email):
        [mail] = smtp.inbox.to(address)
        assert mail["Subject"].startswith("New booking: Glow peel on Wed 10 Jun 2026, 14:30")
        assert "Casey Smithson" in text_of(mail)
    # A practitioner is not an owner or manager: no venue mail for them.
    assert smtp.inbox.to(world.staff_user.email) == []

    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking, world.customer)
    assert [m["Subject"] for m in smtp.inbox.to(world.venue.email)][-1].startswith("Booking cancelled: Glow peel")


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_cancellation_by_the_venue_is_not_reported_back_to_it(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking, world.owner)
    subjects = [m["Subject"] for m in smtp.inbox.to(world.venue.email)]
    assert len(subjects) == 1 and subjects[0].startswith("New booking")
    assert smtp.inbox.to(world.customer.email)[-1]["Subject"].startswith("Booking cancelled")


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_moves_update_and_cancellation_removes_the_same_calendar_event(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    with django_capture_on_commit_callbacks(execute=True):
        move(booking, utc(2026, 6, 11, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        cancel(booking, world.customer)

    confirmation, change, cancellation = smtp.inbox.to(world.customer.email)
    assert change["Subject"] == f"Booking changed: {world.venue.name} now on Thu 11 Jun 2026, 09:00 BST"
    assert cancellation["Subject"].startswith("Booking cancelled")
    events = [calendar_of(m).walk("VEVENT")[0] for m in (confirmation, change, cancellation)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert events[1].start == dt.datetime(2026, 6, 11, 9, 0, tzinfo=world.venue.tz)
    assert calendar_of(cancellation)["METHOD"] == "CANCEL"
    assert events[2]["STATUS"] == "CANCELLED"


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_pending_request_is_acknowledged_then_confirmed(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30), status=Status.PENDING)
    [received] = smtp.inbox.to(world.customer.email)
    assert received["Subject"].startswith("Booking request received")
    assert calendar_of(received) is None  # nothing to put in a calendar yet
    assert "needs your confirmation" in text_of(smtp.inbox.to(world.venue.email)[0])

    with django_capture_on_commit_callbacks(execute=True):
        confirm(booking)
    mails = smtp.inbox.to(world.customer.email)
    assert [m["Subject"].split(":")[0] for m in mails] == ["Booking request received", "Booking confirmed"]
    assert calendar_of(mails[1])["METHOD"] == "REQUEST"
    assert len(smtp.inbox.to(world.venue.email)) == 1  # "confirmed" does not repeat the new-booking notice


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_the_same_event_twice_sends_one_email(smtp, world, django_capture_on_commit_callbacks):
    from pamper.notifications.events import booking_changed

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
        booking_changed(booking.pk, "created")
        booking_changed(booking.pk, "confirmed")
    assert len(smtp.inbox.to(world.customer.email)) == 1
    assert Message.objects.filter(booking=booking, kind="confirmation").count() == 1


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_bookings_by_phone_client_without_account_mail_the_client_address(smtp, world,
                                                                          django_capture_on_commit_callbacks):

    world.client = ClientFactory(venue=world.venue, name="Walk In", email="walkin@example.com")
    world.customer = None
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 10, 13, 30))
    assert smtp.inbox.to("walkin@example.com")[0]["Subject"].startswith("Booking confirmed")


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_every_kind_renders_without_template_errors(smtp, world):
    """Each message kind builds a full email (HTML and text) for a plausible booking."""
    from pamper.notifications import emails
    from pamper.notifications.models import Kind

    now = utc(2026, 6, 1, 9, 0)
    booking = book(world, utc(2026, 6, 10, 13, 30))
    states = {
        Kind.RECEIVED: Status.PENDING, Kind.CANCELLATION: Status.CANCELLED, Kind.VENUE_CANCELLATION: Status.CANCELLED,
        Kind.REVIEW_REQUEST: Status.ATTENDED,
    }
    for kind in Kind.values:
        booking.status = states.get(kind, Status.CONFIRMED)
        booking.save()
        message = Message(
            booking=booking, kind=kind, recipient="x@example.com", due_at=now, booking_start=booking.start,
            occasion="passed" if kind == Kind.PATCH_TEST_RESULT else "",
        )
        message.save()
        email, reason = emails.build(message, now)
        assert email is not None, (kind, reason)
        html = email.alternatives[0][0]
        assert "Glow Clinic" in email.body and "Glow Clinic" in html, kind
        assert "{{" not in email.body and "{%" not in html, kind
        assert "&amp;#x27;" not in email.body and "&#x27;" not in email.body, kind  # text parts are not HTML-escaped
    sent_statuses = set(Message.objects.values_list("status", flat=True))
    assert sent_statuses == {MessageStatus.PENDING}


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_move_made_by_the_venue_is_not_reported_back_to_it(smtp, world, django_capture_on_commit_callbacks):
    from django.db import transaction

    from pamper.notifications.events import booking_changed

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        booking.items.update(start=utc(2026, 6, 10, 15, 0), end=utc(2026, 6, 10, 16, 0),
                             busy_start=utc(2026, 6, 10, 15, 0), busy_end=utc(2026, 6, 10, 16, 0))
        booking.start, booking.end = utc(2026, 6, 10, 15, 0), utc(2026, 6, 10, 16, 0)
        booking.save()
        booking_changed(booking.pk, "moved", by_venue=True)
    subject = smtp.inbox.to(world.customer.email)[-1]["Subject"]
    assert subject.endswith("now on Wed 10 Jun 2026, 16:00 BST")
    assert [m["Subject"].split(":")[0] for m in smtp.inbox.to(world.venue.email)] == ["New booking"]


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_optional_emails_carry_an_unsubscribe_link_and_safety_ones_do_not(smtp, world,
                                                                          django_capture_on_commit_callbacks):
    from .helpers import attend, session_done

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 1, 12, 0))
    with time_machine.travel(utc(2026, 6, 1, 13, 5), tick=False), django_capture_on_commit_callbacks(execute=True):
        attend(booking)
        session_done(booking)
    confirmation, aftercare = smtp.inbox.to(world.customer.email)
    assert confirmation["List-Unsubscribe"] == "<http://127.0.0.1:8000/accounts/notifications/>"
    assert aftercare["Subject"].startswith("Aftercare")
    assert aftercare["List-Unsubscribe"] is None


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_erasing_a_person_forgets_their_address_and_feeds(smtp, world, django_capture_on_commit_callbacks):
    from pamper.notifications.actions import erase_person
    from pamper.notifications.models import CalendarFeed, Kind, Preference

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world, utc(2026, 6, 10, 13, 30))
    Preference.objects.create(user=world.customer, reminders=False)
    CalendarFeed.issue(user=world.customer, scope="customer")
    erase_person(user=world.customer)
    assert not CalendarFeed.objects.filter(user=world.customer).exists()
    assert not Preference.objects.filter(user=world.customer).exists()
    sent = Message.objects.get(booking=booking, kind=Kind.CONFIRMATION)
    assert world.customer.email not in sent.recipient and sent.user is None
    assert sent.status == MessageStatus.SENT

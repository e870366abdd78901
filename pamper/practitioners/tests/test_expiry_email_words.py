"""The notice that a practitioner's credential ends soon reads like every other Pamper email: in the owner's
language, the affected visits at the venue's wall-clock time (not UTC), and 'in 1 day' said as one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from pamper.accounts.models import User
from pamper.bookings import actions as booking_actions
from pamper.bookings.tests import helpers as h

from ..expiry import send_expiry_notices
from ..models import Credential, Kind
from . import helpers as ph
from .helpers import NOW


@pytest.fixture
def clinic(db) -> Iterator[ph.Clinic]:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield ph.clinic()


def _booked(c: ph.Clinic, day: dt.date, hour: int) -> None:
    customer = h.customer()
    ph.prescribed(c, customer)
    at = dt.datetime.combine(day, dt.time(hour), tzinfo=c.venue.tz)  # London in May: BST, UTC+1
    booking_actions.book_visit(venue=c.venue, services=[c.injections], start=at, customer=customer,
                               staff=c.doctor, now=NOW)


def test_the_notice_is_in_the_owners_language_at_the_venues_time(clinic, mailoutbox,
                                                                django_capture_on_commit_callbacks) -> None:
    lapse = NOW.date() + dt.timedelta(days=30)
    _booked(clinic, lapse + dt.timedelta(days=1), 10)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    User.objects.filter(pk=clinic.owner.pk).update(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_notices(now=NOW) == 1
    [mail] = mailoutbox
    assert "endet in 30 Tagen" in mail.subject, mail.subject
    assert "10:00" in mail.body and "09:00" not in mail.body, mail.body
    assert "Juni 2026" in mail.body and "June" not in mail.body, mail.body


def test_one_day_left_is_said_as_one(clinic, mailoutbox, django_capture_on_commit_callbacks) -> None:
    lapse = NOW.date() + dt.timedelta(days=1)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_notices(now=NOW) == 1
    [mail] = mailoutbox
    assert "ends in 1 day" in mail.subject and "1 days" not in mail.subject + mail.body, (mail.subject, mail.body)

"""The schedule read (bookings.schedule.load_schedule) hands the sweep whole UTC minutes worked out by the database:
a busy span starts at the minute it starts in and ends at the first whole minute at or after its end, on SQLite
(naive UTC text) and PostgreSQL (timestamptz) alike."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings.localtime import to_minute, to_minute_ceil
from pamper.bookings.models import Status
from pamper.bookings.schedule import load_schedule
from pamper.tests.factories import BookingFactory
from pamper.venues.models import TimeOff

from .helpers import customer, shop, utc

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 5)
NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def test_busy_spans_come_back_as_the_minutes_they_cover() -> None:
    s = shop()
    odd = [  # time off typed with seconds, and with microseconds: each covers every minute it touches
        (dt.datetime(2026, 5, 5, 9, 0, 30, tzinfo=dt.UTC), dt.datetime(2026, 5, 5, 9, 59, 30, tzinfo=dt.UTC)),
        (dt.datetime(2026, 5, 5, 12, 0, 0, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 5, 12, 30, 0, 1, tzinfo=dt.UTC)),
        (dt.datetime(2026, 5, 5, 15, 0, tzinfo=dt.UTC), dt.datetime(2026, 5, 5, 15, 45, tzinfo=dt.UTC)),
    ]
    for start, end in odd:
        TimeOff.objects.create(staff=s.anna, start=start, end=end)
    BookingFactory(service=s.cut, staff=s.ben, customer=customer(), start=utc(2026, 5, 5, 13),
                   status=Status.CONFIRMED)

    schedule = load_schedule(s.venue, [s.cut.id], DAY, DAY, NOW)

    assert sorted(schedule.away[s.anna.id]) == [(to_minute(a), to_minute_ceil(b)) for a, b in odd]
    assert [b - a for a, b in sorted(schedule.away[s.anna.id])] == [60, 31, 45]
    assert schedule.booked == {s.ben.id: [(to_minute(utc(2026, 5, 5, 13)), to_minute(utc(2026, 5, 5, 14)))]}
    assert all(type(m) is int for span in schedule.away[s.anna.id] for m in span)

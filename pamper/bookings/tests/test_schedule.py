"""The schedule read (bookings.schedule.load_schedule) hands the sweep whole UTC minutes worked out by the database:
a busy span starts at the minute it starts in and ends at the first whole minute at or after its end, on SQLite
(naive UTC text) and PostgreSQL (timestamptz) alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_schedule_query_is_prepared_once_per_connection_and_still_counted() -> None:
    """Planning the schedule's eight branches cost three times running them: on PostgreSQL the statement is
    prepared on the connection, so a booking's or availability's read only binds and runs it. It still goes
    through Django's cursor, so the statement counts of tests and benchmarks see it with its values."""
    s = shop()
    with CaptureQueriesContext(connection) as captured:
        for day in (DAY, DAY + dt.timedelta(days=7)):
            assert load_schedule(s.venue, [s.cut.id], day, day, NOW).staff
    logged = [q["sql"] for q in captured.captured_queries if "venues_openinghours" in q["sql"]]
    assert len(logged) == 2 and str(s.venue.id) in logged[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%venues_openinghours%"])
        assert cursor.fetchone() == (1,)

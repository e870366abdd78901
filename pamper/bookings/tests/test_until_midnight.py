"""Hours and shifts until midnight (24:00, minute 1440): slots run up to midnight, on 23- and 25-hour days and in a
zone whose clocks change at midnight, and a visit never crosses into the next day."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from pamper.bookings import availability as av
from pamper.bookings.availability_reference import naive_slots
from pamper.bookings.localtime import DAY, LocalCalendar, from_minute, to_minute

JANUARY = to_minute(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def late_shift(zone: str, weekday: int, start: int, days: tuple[int, ...] = ()) -> av.Schedule:
    """Open all day; the stylist works `start` to 24:00 on `weekday` (and 00:00 to 02:00 on `days`)."""
    return av.Schedule(
        av.Rules(zone, 30, 0, 365), opening=[av.Weekly(d, 0, DAY) for d in range(7)], staff=[1],
        shifts={1: [av.Weekly(weekday, start, DAY), *(av.Weekly(d, 0, 120) for d in days)]},
        performs={1: frozenset({1})},
    )


def local_slots(schedule: av.Schedule, day: dt.date, duration: int = 60) -> list[tuple[str, str]]:
    """(start, end) of each slot in local wall-clock time, the end as 'HH:MM' or '24:00' on the next date."""
    zone = zoneinfo.ZoneInfo(schedule.rules.timezone)
    found = av.find_slots(schedule, [av.ServiceSpec(1, duration)], day, day, JANUARY)
    assert found == naive_slots(schedule, [av.ServiceSpec(1, duration)], day, day, JANUARY)

    def wall(minute: int) -> str:
        local = from_minute(minute).astimezone(zone)
        return "24:00" if local.date() > day else f"{local:%H:%M}"

    return [(wall(s.start), wall(s.end)) for s in found]


@pytest.mark.parametrize(("zone", "day", "hours"), [
    ("Europe/London", dt.date(2026, 5, 5), 2),  # an ordinary Tuesday
    ("Europe/London", dt.date(2026, 3, 29), 2),  # the 23-hour day (the change is at 01:00: the evening is whole)
    ("Europe/London", dt.date(2026, 10, 25), 2),  # the 25-hour day
    ("America/Santiago", dt.date(2026, 9, 5), 2),  # clocks go from 24:00 to 01:00: the day ends at 04:00 UTC
    ("America/Santiago", dt.date(2026, 4, 4), 3),  # clocks go from 24:00 back to 23:00: 23:00-24:00 twice
])
def test_a_shift_until_midnight_offers_slots_that_end_at_midnight(zone: str, day: dt.date, hours: int) -> None:
    schedule = late_shift(zone, day.weekday(), 22 * 60)
    cal = LocalCalendar(zone)
    working = av.working_time(schedule, 1, day, day, cal)
    assert working == [(cal.utc(day, 22 * 60), cal.utc(day + dt.timedelta(days=1), 0))]
    assert working[0][1] - working[0][0] == hours * 60
    slots = local_slots(schedule, day)
    assert slots[0] == ("22:00", "23:00") and slots[-1] == ("23:00", "24:00")
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zoneinfo.ZoneInfo(zone))
    last = av.find_slots(schedule, [av.ServiceSpec(1, 60)], day, day, JANUARY)[-1]
    assert from_minute(last.end) == midnight.astimezone(dt.UTC)  # where zoneinfo puts the next midnight


def test_the_repeated_hour_before_a_midnight_change_is_offered_twice() -> None:
    # Santiago, Saturday 4 April 2026: at 24:00 the clocks go back to 23:00, so 23:00 and 23:30 happen twice.
    slots = local_slots(late_shift("America/Santiago", 5, 22 * 60), dt.date(2026, 4, 4), duration=30)
    assert [s for s, _ in slots] == ["22:00", "22:30", "23:00", "23:30", "23:00", "23:30"]
    assert slots[-1] == ("23:30", "24:00")


def test_a_visit_does_not_cross_midnight_into_the_next_days_shift() -> None:
    # Monday 22:00-24:00 then Tuesday 00:00-02:00: a 60-minute visit at 23:30 would run into Tuesday.
    schedule = late_shift("Europe/London", 0, 22 * 60, days=(1,))
    monday = dt.date(2026, 6, 1)
    assert [s for s, _ in local_slots(schedule, monday)] == ["22:00", "22:30", "23:00"]
    both = av.find_slots(schedule, [av.ServiceSpec(1, 60)], monday, monday + dt.timedelta(days=1), JANUARY)
    assert both == naive_slots(schedule, [av.ServiceSpec(1, 60)], monday, monday + dt.timedelta(days=1), JANUARY)
    starts = [from_minute(s.start).astimezone(zoneinfo.ZoneInfo("Europe/London")) for s in both]
    assert [f"{t:%a %H:%M}" for t in starts] == ["Mon 22:00", "Mon 22:30", "Mon 23:00", "Tue 00:00", "Tue 00:30",
                                                 "Tue 01:00"]

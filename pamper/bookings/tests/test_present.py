"""The availability answer written as text reads exactly as the dict encoder would write it, clock changes included."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest

from pamper.bookings import availability as av
from pamper.bookings.localtime import from_minute, to_minute
from pamper.bookings.present import LocalTimes, availability_json, availability_text
from pamper.venues.models import Venue

# Zones with a spring and an autumn change, a negative winter "DST" (Dublin), half- and quarter-hour offsets,
# a half-hour DST (Lord Howe), no DST at all, and west of UTC.
ZONES = ["Europe/London", "Europe/Dublin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata",
         "Asia/Kathmandu", "Pacific/Chatham", "America/Sao_Paulo", "America/Los_Angeles", "UTC"]


def _changes(zone: zoneinfo.ZoneInfo, year: int) -> list[int]:
    """UTC minutes (whole hours) around which the zone's offset changes during the year."""
    start = to_minute(dt.datetime(year, 1, 1, tzinfo=dt.UTC))
    found, before = [], from_minute(start).astimezone(zone).utcoffset()
    for hour in range(start, start + 366 * 1440, 60):
        offset = from_minute(hour).astimezone(zone).utcoffset()
        if offset != before:
            found.append(hour)
            before = offset
    return found


@pytest.mark.parametrize("name", ZONES)
def test_local_times_match_zoneinfo_around_every_clock_change(name):
    zone = zoneinfo.ZoneInfo(name)
    times = LocalTimes(zone)
    changes = _changes(zone, 2026) or [to_minute(dt.datetime(2026, 3, 29, tzinfo=dt.UTC))]
    for change in changes:
        for minute in range(change - 26 * 60, change + 26 * 60, 7):  # every 7th minute: all minutes of the hour
            assert times[minute] == from_minute(minute).astimezone(zone).isoformat(), (name, minute)


def test_old_local_mean_time_offsets_with_seconds_are_written_as_zoneinfo_does():
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")  # +00:19:32 before 1937
    minute = to_minute(dt.datetime(1900, 6, 1, 12, tzinfo=dt.UTC))
    expected = "1900-06-01T12:19:32+00:19:32"
    assert LocalTimes(zone)[minute] == from_minute(minute).astimezone(zone).isoformat() == expected


def _slot(start: int, staff: tuple[int, ...], lengths: tuple[int, ...]) -> av.Slot:
    items, at = [], start
    for n, length in enumerate(lengths):
        items.append(av.Item(10 + n, staff[0] + n, at, at + length, at - 5, at + length + 5, None))
        at += length
    return av.Slot(start, at, staff[0], tuple(items), staff)


@pytest.mark.parametrize("name", ["Europe/London", "America/St_Johns", "Australia/Lord_Howe"])
def test_the_availability_text_is_what_the_json_encoder_writes(name):
    venue = Venue(id=7, timezone=name, slot_minutes=15)
    autumn = to_minute(dt.datetime(2026, 10, 24, 22, tzinfo=dt.UTC))
    slots = [_slot(autumn + 15 * i, (3, 4, 5)[: 1 + i % 3], (30,) if i % 2 else (45, 30)) for i in range(400)]
    first, last = dt.date(2026, 10, 24), dt.date(2026, 10, 27)
    text = availability_text(venue, first, last, [10, 11], None, slots)
    assert text == json.dumps(availability_json(venue, first, last, [10, 11], None, slots))
    assert availability_text(venue, first, last, [10], 4, []) == json.dumps(
        availability_json(venue, first, last, [10], 4, []))

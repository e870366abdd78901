"""Instants as integer minutes, and a venue's wall clock in those minutes. Pure: no database.

Every instant the booking engine handles is an `int`: minutes since the Unix
epoch, UTC. Weekly opening hours and shifts are local wall-clock minutes of
the day; `LocalCalendar` turns a local (date, minute of day) into a UTC minute
and back in one zone, so a 23- or 25-hour day comes out right.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterator

DAY = 1440


# --- instants <-> minutes ---------------------------------------------------------------


def to_minute(instant: dt.datetime) -> int:
    """The UTC minute containing an aware instant (seconds are dropped)."""
    return math.floor(instant.timestamp() / 60)


def to_minute_ceil(instant: dt.datetime) -> int:
    """The first whole UTC minute at or after an aware instant."""
    return math.ceil(instant.timestamp() / 60)


def from_minute(minute: int) -> dt.datetime:
    """The aware UTC datetime of a minute."""
    return dt.datetime.fromtimestamp(minute * 60, tz=dt.UTC)


# --- local calendar --------------------------------------------------------------------------


class LocalCalendar:
    """Wall-clock (date, minute of day) to UTC minutes in one zone, memoised per call."""

    def __init__(self, timezone: str) -> None:
        self.zone = zoneinfo.ZoneInfo(timezone)
        self._cache: dict[tuple[dt.date, int, int], int] = {}

    def utc(self, day: dt.date, minute: int, fold: int = 0) -> int:
        """UTC minute of a wall-clock time. A time skipped by a spring change maps like zoneinfo's fold=0.

        Minute 1440 (24:00, an interval that ends at midnight) is the next date's 00:00: on a 23- or 25-hour
        day, and in a zone whose clocks change at midnight, that is where the day really ends."""
        if minute >= DAY:
            return self.utc(day + dt.timedelta(days=minute // DAY), minute % DAY, fold)
        key = (day, minute, fold)
        found = self._cache.get(key)
        if found is None:
            wall = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.zone, fold=fold)
            found = self._cache[key] = to_minute(wall)
        return found

    def wall(self, minute: int) -> tuple[dt.date, int]:
        """The local (date, minute of day) of a UTC minute."""
        local = from_minute(minute).astimezone(self.zone)
        return local.date(), local.hour * 60 + local.minute

    def day_bounds(self, day: dt.date) -> tuple[int, int]:
        """[local midnight, next local midnight) in UTC minutes: 1380 or 1500 minutes long on change days."""
        return self.utc(day, 0), self.utc(day + dt.timedelta(days=1), 0)

    def grid(self, day: dt.date, step: int) -> list[int]:
        """UTC minutes of the day's wall-clock grid times that exist (both instants of a repeated time)."""
        start, end = self.day_bounds(day)
        if end - start == DAY:
            return list(range(start, end, step))
        points = set()
        for minute in range(0, DAY, step):
            for fold in (0, 1):
                instant = self.utc(day, minute, fold)
                if self.wall(instant) == (day, minute):
                    points.add(instant)
        return sorted(points)

    def on_grid(self, minute: int, step: int) -> bool:
        """True when `minute` is one of its local day's wall-clock grid times (every `step` minutes from midnight)."""
        day, _ = self.wall(minute)
        return minute in set(self.grid(day, step))


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The dates first..last, both included (none when last is before first)."""
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)

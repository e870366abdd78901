"""The workspace calendar laid out as rows of time by columns of staff. No database.

Shifts and opening hours are local wall-clock times: they are expanded on the
given local date in the venue's zone and turned into UTC instants before any
arithmetic, so a 23- or 25-hour day (daylight saving) lays out correctly: on
the autumn change the repeated hour appears twice, once per zone name.

The day grid steps over UTC instants from the earliest to the latest thing of
the day. Each staff column holds either a free/off/break cell per row, or a
block (booking, hold, time off) spanning rows (an HTML rowspan, so the page
needs no inline styles). Blocks that overlap in one column are merged into one
cell listing each, which should only happen with time off over a booking.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pamper.lib import walltime

UTC = dt.UTC


@dataclass(frozen=True)
class Wall:
    """A weekly local interval (a shift or opening hours); dates bound it when set."""

    weekday: int
    start: dt.time
    end: dt.time
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def applies(self, day: dt.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class Block:
    """Something that occupies a staff member: a booking, a hold or time off (UTC instants)."""

    kind: str  # "booking", "hold" or "timeoff"
    start: dt.datetime
    end: dt.datetime
    title: str
    detail: str = ""
    booking_id: int | None = None
    status: str = ""


@dataclass
class Column:
    staff_id: int
    name: str
    shifts: list[Wall] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Cell:
    kind: str  # "free", "off", "break", "closed" or "block"
    start: dt.datetime
    rowspan: int = 1
    blocks: list[Block] = field(default_factory=list)
    staff_id: int = 0


@dataclass
class Row:
    start: dt.datetime
    label: str
    hour_start: bool
    cells: list[Cell | None]


@dataclass
class DayGrid:
    day: dt.date
    zone: str
    columns: list[Column]
    rows: list[Row]
    closed: str | None  # the closure reason ("" if none given) when the venue is closed that day
    opening: list[tuple[dt.datetime, dt.datetime]]


def at(day: dt.date, wall: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time on a local date (a time in a spring gap moves forward; the end
    of the day, walltime.END_OF_DAY, is the next midnight)."""
    return walltime.at(day, wall, tz).astimezone(UTC)


def day_bounds(day: dt.date, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[local midnight, next local midnight) as UTC instants: 23, 24 or 25 hours long."""
    return at(day, dt.time(0), tz), at(day + dt.timedelta(days=1), dt.time(0), tz)


def expand(walls: Iterable[Wall], day: dt.date, tz: zoneinfo.ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """The weekly intervals that apply on `day`, as sorted UTC ranges."""
    return sorted((at(day, w.start, tz), at(day, w.end, tz)) for w in walls if w.applies(day))


def _span(day: dt.date, tz: zoneinfo.ZoneInfo, columns: Sequence[Column],
          opening: list) -> tuple[dt.datetime, dt.datetime]:
    """The grid's first and last instant: whole local hours around everything shown, 09–18 when empty."""
    lo, hi = day_bounds(day, tz)
    points = [p for rng in opening for p in rng]
    for col in columns:
        points += [p for rng in expand(col.shifts, day, tz) for p in rng]
        points += [min(max(b.start, lo), hi) for b in col.blocks if b.kind != "timeoff"]
        points += [min(max(b.end, lo), hi) for b in col.blocks if b.kind != "timeoff"]
    if not points:
        return at(day, dt.time(9), tz), at(day, dt.time(18), tz)
    first, last = min(points).astimezone(tz), max(points).astimezone(tz)
    start = max(lo, first.replace(minute=0, second=0, microsecond=0).astimezone(UTC))
    end = last.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    if end < max(points):
        end += dt.timedelta(hours=1)
    return start, min(end, hi)


def _free_kind(t: dt.datetime, t_end: dt.datetime, working: list[tuple[dt.datetime, dt.datetime]]) -> str:
    if any(s <= t and t_end <= e for s, e in working):
        return "free"
    if working and working[0][0] < t_end and t < working[-1][1]:
        return "break"
    return "off"


def _column_cells(col: Column, starts: list[dt.datetime], step: dt.timedelta, working: list,
                  closed: bool) -> list[Cell | None]:
    """One cell per row for a column; rows covered by a block's rowspan hold None."""
    cells: list[Cell | None] = []
    pending = sorted((b for b in col.blocks if b.end > starts[0] and b.start < starts[-1] + step),
                     key=lambda b: b.start)
    covered_until: dt.datetime | None = None
    for t in starts:
        if covered_until is not None and t < covered_until:
            cells.append(None)
            continue
        here = [b for b in pending if b.start < t + step and b.end > t]
        if here:
            end = max(b.end for b in here)
            # Later blocks that overlap this one join the same cell.
            while extra := [b for b in pending if b not in here and b.start < end]:
                here += extra
                end = max(end, *(b.end for b in extra))
            pending = [b for b in pending if b not in here]
            span = sum(1 for s in starts if t <= s < end)
            cells.append(Cell("block", t, max(span, 1), here, col.staff_id))
            covered_until = t + step * max(span, 1)
            continue
        kind = "closed" if closed else _free_kind(t, t + step, working)
        cells.append(Cell(kind, t, 1, [], col.staff_id))
    return cells


def lay_out_day(
    *, day: dt.date, zone: str, step_minutes: int, columns: Sequence[Column], opening_hours: Iterable[Wall],
    closure: str | None,
) -> DayGrid:
    """The day view: a row per step of `step_minutes`, a column per staff member."""
    tz = zoneinfo.ZoneInfo(zone)
    step = dt.timedelta(minutes=step_minutes)
    opening = expand(opening_hours, day, tz)
    start, end = _span(day, tz, columns, opening)
    starts = []
    t = start
    while t < end:
        starts.append(t)
        t += step
    if not starts:
        starts = [start]
    by_column = [_column_cells(c, starts, step, working(c, day, tz, opening), closure is not None) for c in columns]
    # On a clock-change day the same wall time can occur twice: name the zone on every row then.
    two_offsets = len({t.astimezone(tz).utcoffset() for t in starts}) > 1
    rows = []
    for i, t in enumerate(starts):
        local = t.astimezone(tz)
        label = f"{local:%H:%M} {local.tzname()}" if two_offsets else f"{local:%H:%M}"
        rows.append(Row(t, label, local.minute == 0 or i == 0, [cells[i] for cells in by_column]))
    return DayGrid(day, zone, list(columns), rows, closure, opening)


def intersect(a: list[tuple[dt.datetime, dt.datetime]],
              b: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The overlaps of two sorted lists of ranges."""
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if start < end:
                out.append((start, end))
    return sorted(out)


def working(column: Column, day: dt.date, tz: zoneinfo.ZoneInfo,
            opening: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """When the staff member takes bookings that day: their shifts inside the venue's opening hours."""
    return intersect(expand(column.shifts, day, tz), opening)


@dataclass
class WeekCell:
    working: list[tuple[dt.datetime, dt.datetime]]
    blocks: list[Block]


@dataclass
class WeekDay:
    day: dt.date
    closed: str | None
    cells: list[WeekCell]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def lay_out_week(
    *, first_day: dt.date, zone: str, columns: Sequence[Column], closures: dict[dt.date, str],
    opening_hours: Sequence[Wall]
) -> list[WeekDay]:
    """Seven days from first_day: per staff member, their bookable hours and what occupies them that local day."""
    tz = zoneinfo.ZoneInfo(zone)
    days = []
    for offset in range(7):
        day = first_day + dt.timedelta(days=offset)
        lo, hi = day_bounds(day, tz)
        opening = expand(opening_hours, day, tz)
        cells = [
            WeekCell(
                [] if day in closures else working(c, day, tz, opening),
                sorted((b for b in c.blocks if b.start < hi and b.end > lo), key=lambda b: b.start),
            )
            for c in columns
        ]
        days.append(WeekDay(day, closures.get(day), cells))
    return days

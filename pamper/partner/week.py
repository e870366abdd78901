"""The workspace week as a grid: time down, the seven days across. No database.

Each day is one or more lanes (as many as bookings overlap that day, across
the staff); a block spans the rows of its local wall-clock time (an HTML
rowspan: the page needs no inline styles). Times are the local wall clock of
each day, so on a daylight-saving change the grid shows wall-clock rows
(the skipped hour is empty, the repeated one holds both visits).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from pamper.lib import walltime

from .calendar import Block, Column, Wall, day_bounds, expand

DEFAULT_HOURS = (9 * 60, 18 * 60)


@dataclass
class Slot:
    """One cell of a lane: a block spanning `rowspan` rows, or an empty time ("open" or "closed")."""

    kind: str  # "block", "open" or "closed"
    start: dt.datetime  # local
    rowspan: int = 1
    block: Block | None = None
    staff: str = ""
    move_here: bool = False  # the first empty lane of its row: where a "move here" button goes


@dataclass
class Day:
    day: dt.date
    closed: str | None
    lanes: int
    opening: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


@dataclass
class WeekGrid:
    days: list[Day]
    rows: list[tuple[str, bool, list[Slot | None]]]  # (label, on the hour, one cell per day lane or None)


def _minute(t: dt.datetime) -> int:
    return t.hour * 60 + t.minute


def _bounds(opening: Sequence[Wall], blocks: list[tuple[int, int]], step: int) -> tuple[int, int]:
    """The first and last local minute the grid shows: the widest opening hours of the week and every block."""
    starts = [walltime.minute_of_day(w.start) for w in opening] + [s for s, _ in blocks]
    ends = [walltime.minute_of_day(w.end) for w in opening] + [e for _, e in blocks]
    lo, hi = (min(starts), max(ends)) if starts else DEFAULT_HOURS
    return lo // step * step, min(24 * 60, math.ceil(hi / step) * step)


def _lanes(spans: list[tuple[int, int, Block, str]]) -> list[list[tuple[int, int, Block, str]]]:
    """Overlapping blocks side by side (spans in grid rows [first, end)): each goes to the first lane free at its
    first row, so two blocks sharing a row never share a lane."""
    lanes: list[list[tuple[int, int, Block, str]]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        lane = next((lane for lane in lanes if lane[-1][1] <= span[0]), None)
        if lane is None:
            lanes.append([span])
        else:
            lane.append(span)
    return lanes or [[]]


def _rows(spans: list[tuple[int, int, Block, str]], first: int, step: int,
          count: int) -> list[tuple[int, int, Block, str]]:
    """Minutes to grid rows: [first row, end row), at least one row, inside the grid."""
    rows = []
    for s, e, block, name in spans:
        top = min(count - 1, max(0, (s - first) // step))
        rows.append((top, max(top + 1, min(count, math.ceil((e - first) / step))), block, name))
    return rows


def lay_out_week_grid(*, first_day: dt.date, zone: str, columns: Sequence[Column], closures: dict[dt.date, str],
                      opening_hours: Sequence[Wall], step_minutes: int = 30) -> WeekGrid:
    """Seven local days from first_day: rows of `step_minutes` from the week's earliest to its latest time."""
    tz = zoneinfo.ZoneInfo(zone)
    step = max(5, step_minutes)
    per_day = []
    for offset in range(7):
        day = first_day + dt.timedelta(days=offset)
        lo, hi = day_bounds(day, tz)
        spans = []
        for column in columns:
            for block in column.blocks:
                if block.start < hi and block.end > lo:
                    start, end = max(block.start, lo).astimezone(tz), min(block.end, hi).astimezone(tz)
                    end_minute = 24 * 60 if end.date() > day else _minute(end)
                    spans.append((_minute(start), max(end_minute, _minute(start) + 1), block, column.name))
        per_day.append((day, spans, expand(opening_hours, day, tz)))
    first, last = _bounds(opening_hours, [(s, e) for _, spans, _ in per_day for s, e, _, _ in spans], step)
    count = max(1, (last - first) // step)
    days, lane_cells = [], []
    for day, spans, opening in per_day:
        lanes = _lanes(_rows(spans, first, step, count))
        days.append(Day(day, closures.get(day), len(lanes), opening))
        lane_cells.append([_lane(lane, day, tz, first, step, count, opening, day in closures) for lane in lanes])
    rows = []
    for r in range(count):
        minute = first + r * step
        cells: list[Slot | None] = []
        for lanes in lane_cells:
            row_cells = [lane[r] for lane in lanes]
            empty = next((c for c in row_cells if c is not None and c.kind == "open"), None)
            if empty is not None:
                empty.move_here = True
            cells.extend(row_cells)
        rows.append((f"{minute // 60:02d}:{minute % 60:02d}", minute % 60 == 0, cells))
    return WeekGrid(days, rows)


def _lane(lane: list[tuple[int, int, Block, str]], day: dt.date, tz: zoneinfo.ZoneInfo, first: int, step: int,
          count: int, opening: list[tuple[dt.datetime, dt.datetime]], closed: bool) -> list[Slot | None]:
    """One lane's cell per row: a block's first row carries its rowspan, the rows it covers are None."""
    cells: list[Slot | None] = []
    placed = {top: (end, block, name) for top, end, block, name in lane}
    covered = 0
    for r in range(count):
        minute = first + r * step
        start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
        if r in placed:
            end, block, name = placed[r]
            cells.append(Slot("block", start, end - r, block, name))
            covered = end
        elif r < covered:
            cells.append(None)
        else:
            is_open = not closed and any(a <= start < b for a, b in opening)
            cells.append(Slot("open" if is_open else "closed", start))
    return cells

"""A deliberately naive availability scan: the oracle for tests and the benchmark baseline.

For every wall-clock grid time of every day and every staff member it
rebuilds that day's working time through zoneinfo and scans every busy
interval, the way slot pickers that take seconds per month work. It shares no
interval code with `availability.py`, so the property tests compare two
independent readings of the same rules; the benchmark asserts both give
identical slots.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Sequence

from .availability import Item, Rules, Schedule, ServiceSpec, Slot, Weekly
from .localtime import DAY


def _utc(zone: zoneinfo.ZoneInfo, day: dt.date, minute: int, fold: int = 0) -> int:
    if minute == DAY:  # 24:00, an interval that ends at midnight: the next date's 00:00
        day, minute = day + dt.timedelta(days=1), 0
    wall = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone, fold=fold)
    return int(wall.timestamp() // 60)


def _grid(zone: zoneinfo.ZoneInfo, day: dt.date, step: int) -> list[int]:
    points = set()
    for minute in range(0, DAY, step):
        for fold in (0, 1):
            instant = _utc(zone, day, minute, fold)
            local = dt.datetime.fromtimestamp(instant * 60, tz=dt.UTC).astimezone(zone)
            if local.date() == day and local.hour * 60 + local.minute == minute:
                points.add(instant)
    return sorted(points)


def _pieces(zone: zoneinfo.ZoneInfo, weekly: list[Weekly], day: dt.date) -> list[tuple[int, int]]:
    return [
        (_utc(zone, day, w.start), _utc(zone, day, w.end))
        for w in weekly
        if w.weekday == day.weekday() and (w.valid_from is None or w.valid_from <= day)
        and (w.valid_until is None or day <= w.valid_until)
    ]


def _covered(pieces: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when the union of pieces covers every minute of [start, end)."""
    cursor = start
    progressed = True
    while cursor < end and progressed:
        progressed = False
        for a, b in pieces:
            if a <= cursor < b:
                cursor, progressed = b, True
    return cursor >= end


def _working_pieces(schedule: Schedule, zone: zoneinfo.ZoneInfo, staff: int, day: dt.date) -> list[tuple[int, int]]:
    if any(a <= day <= b for a, b in schedule.closures):
        return []
    out = []
    for a, b in _pieces(zone, schedule.opening, day):
        for c, d in _pieces(zone, schedule.shifts.get(staff, []), day):
            if max(a, c) < min(b, d):
                out.append((max(a, c), min(b, d)))
    return out


def _free(schedule: Schedule, zone: zoneinfo.ZoneInfo, item: Item) -> bool:
    if item.service_id not in schedule.performs.get(item.staff_id, ()):
        return False
    local_day = dt.datetime.fromtimestamp(item.start * 60, tz=dt.UTC).astimezone(zone).date()
    days = (local_day - dt.timedelta(days=1), local_day, local_day + dt.timedelta(days=1))
    # One date's working time must cover it all: a visit never crosses midnight, even from a shift until 24:00
    # into one from 00:00.
    if not any(_covered(_working_pieces(schedule, zone, item.staff_id, day), item.busy_start, item.busy_end)
               for day in days):
        return False
    busy = list(schedule.booked.get(item.staff_id, [])) + list(schedule.away.get(item.staff_id, []))
    if item.resource_id is not None:
        busy += schedule.resource_booked.get(item.resource_id, [])
    return not any(a < item.busy_end and item.busy_start < b for a, b in busy)


def _items(services: Sequence[ServiceSpec], start: int, staff: Sequence[int]) -> list[Item]:
    items, begin = [], start
    for i, svc in enumerate(services):
        def joined(x: int, y: int) -> bool:
            ra, rb = services[x].resource_id, services[y].resource_id
            return staff[x] == staff[y] or (ra is not None and ra == rb)

        left = 0 if i > 0 and joined(i - 1, i) else svc.buffer_before
        right = 0 if i < len(services) - 1 and joined(i, i + 1) else svc.buffer_after
        end = begin + svc.duration
        items.append(Item(svc.id, staff[i], begin, end, begin - left, end + right, svc.resource_id))
        begin += svc.duration
    return items


def _self_overlap(items: list[Item]) -> bool:
    for x, y in itertools.combinations(items, 2):
        shared = x.staff_id == y.staff_id or (x.resource_id is not None and x.resource_id == y.resource_id)
        if shared and x.busy_start < y.busy_end and y.busy_start < x.busy_end:
            return True
    return False


def naive_slots(schedule: Schedule, services: Sequence[ServiceSpec], first: dt.date, last: dt.date, now: int,
                *, staff_id: int | None = None) -> list[Slot]:
    """Same contract as availability.find_slots (without ignore_limits), computed the slow way."""
    rules: Rules = schedule.rules
    zone = zoneinfo.ZoneInfo(rules.timezone)
    staff = [staff_id] if staff_id is not None else list(schedule.staff)
    length = sum(s.duration for s in services)
    slots: list[Slot] = []
    day = first
    while services and day <= last:
        for start in _grid(zone, day, rules.slot_minutes):
            if not now + rules.min_notice_minutes <= start < now + rules.horizon_days * DAY:
                continue
            feasible = []
            for combo in itertools.product(staff, repeat=len(services)):
                items = _items(services, start, combo)
                if all(_free(schedule, zone, it) for it in items) and not _self_overlap(items):
                    feasible.append(items)
            if feasible:
                first_staff = tuple(dict.fromkeys(f[0].staff_id for f in feasible))
                ids = first_staff if len(services) == 1 else (feasible[0][0].staff_id,)
                slots.append(Slot(start, start + length, feasible[0][0].staff_id, tuple(feasible[0]), ids))
        day += dt.timedelta(days=1)
    return sorted(slots, key=lambda s: s.start)

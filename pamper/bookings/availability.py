"""Free slots, computed by a pure function over integer minutes.

Every instant here is an `int`: minutes since the Unix epoch, UTC. Weekly
opening hours and shifts are local wall-clock minutes of the day; they are
expanded per local date in the venue's zone (`localtime.py`, so a 23- or
25-hour day comes out right) and only then turned into UTC minutes. Nothing here
touches the database: `schedule.py` fetches a `Schedule` in a fixed number of queries.

The rules, in one place:
- A staff member works where one of their shifts and one of the venue's
  opening intervals overlap, on a local date that is not a closure day.
- A service occupies its staff member (and its room or device, if any) from
  `buffer_before` minutes before the customer's start to `buffer_after`
  minutes after the end. That whole buffered span must lie in working time and
  must not touch any booked span or time off.
- Several services in one visit run back to back for the customer; each step
  may be done by a different staff member who performs it. Between two steps
  that keep the same staff member or the same room/device, the inner buffers
  are dropped (the visit simply continues).
- Slots start on the venue's grid: local wall-clock times that are a multiple
  of `slot_minutes` after local midnight. On the autumn change day the
  repeated hour's grid times exist twice (two real instants); on the spring
  day the skipped hour's times do not exist.
- A slot starts at least `min_notice_minutes` after now and before
  `now + horizon_days`.
- "Anyone" is the union of each staff member's own free slots; every slot
  names the staff member(s) who are really free for it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .intervals import Interval, intersect, merge, subtract
from .localtime import DAY, LocalCalendar, days

Key = TypeVar("Key", bound=Hashable)

# --- inputs and outputs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    timezone: str
    slot_minutes: int = 15
    min_notice_minutes: int = 60
    horizon_days: int = 60


@dataclass(frozen=True, slots=True)
class Weekly:
    """A weekly local wall-clock interval: minutes of the day, end exclusive."""

    weekday: int  # 0 = Monday
    start: int
    end: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def applies(self, day: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    id: int
    duration: int
    buffer_before: int = 0
    buffer_after: int = 0
    resource_id: int | None = None


@dataclass(slots=True)
class Schedule:
    """Everything availability needs about one venue, as plain data.

    `booked` holds the busy spans of active bookings per staff member,
    `away` their time off, `resource_booked` the busy spans per room/device.
    `staff` lists staff ids in preference order (the order "anyone" tries);
    `names` their names, for messages. `qualified` narrows restricted services:
    {service id: {staff id: UTC spans}}; staff missing there may not perform it.
    `expired_holds`: ids of holds past their time whose items are still marked active in the range read (not
    busy: the writer expires them before inserting).
    """

    rules: Rules
    opening: list[Weekly] = field(default_factory=list)
    closures: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    shifts: dict[int, list[Weekly]] = field(default_factory=dict)
    performs: dict[int, frozenset[int]] = field(default_factory=dict)
    booked: dict[int, list[Interval]] = field(default_factory=dict)
    away: dict[int, list[Interval]] = field(default_factory=dict)
    resource_booked: dict[int, list[Interval]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    qualified: dict[int, dict[int, list[Interval]]] = field(default_factory=dict)
    expired_holds: set[int] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Item:
    """One service of a visit: who does it, the customer's time and the buffered busy span."""

    service_id: int
    staff_id: int
    start: int
    end: int
    busy_start: int
    busy_end: int
    resource_id: int | None


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable visit. `staff_id` does the first service; `staff_ids` are all who could."""

    start: int
    end: int
    staff_id: int
    items: tuple[Item, ...]
    staff_ids: tuple[int, ...]


# --- working time --------------------------------------------------------------------------


def _closed(schedule: Schedule, day: dt.date) -> bool:
    return any(start <= day <= end for start, end in schedule.closures)


def _expand(weekly: Iterable[Weekly], day: dt.date, cal: LocalCalendar) -> list[Interval]:
    weekday = day.weekday()
    return merge(
        (cal.utc(day, w.start), cal.utc(day, w.end)) for w in weekly if w.weekday == weekday and w.applies(day)
    )


def open_days(schedule: Schedule, first: dt.date, last: dt.date, cal: LocalCalendar) -> dict[dt.date, list[Interval]]:
    """The venue's opening intervals (UTC) per local date that is not a closure day."""
    return {day: _expand(schedule.opening, day, cal) for day in days(first, last) if not _closed(schedule, day)}


def working_time(schedule: Schedule, staff_id: int, first: dt.date, last: dt.date, cal: LocalCalendar,
                 opening: dict[dt.date, list[Interval]] | None = None) -> list[Interval]:
    """Sorted UTC intervals where the staff member's shifts meet opening hours, closure days left out. Each date's
    stay apart from the next date's (24:00 is not joined to 00:00): a visit never crosses midnight."""
    shifts = schedule.shifts.get(staff_id, [])
    opening = open_days(schedule, first, last, cal) if opening is None else opening
    out: list[Interval] = []
    for day in sorted(opening):
        if opening[day]:
            out.extend(intersect(opening[day], _expand(shifts, day, cal)))
    return out


def _free_time(schedule: Schedule, staff_id: int, first: dt.date, last: dt.date, cal: LocalCalendar, *,
               with_bookings: bool, opening: dict[dt.date, list[Interval]]) -> list[Interval]:
    busy = list(schedule.away.get(staff_id, ()))
    if with_bookings:
        busy.extend(schedule.booked.get(staff_id, ()))
    return subtract(working_time(schedule, staff_id, first, last, cal, opening), merge(busy))


# --- the search ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Step:
    service: ServiceSpec
    offset: int  # minutes after the visit's start
    staff: list[int]
    free: dict[int, list[Interval]]
    starts: dict[int, list[int]]

    def fits(self, staff_id: int, start: int, end: int) -> bool:
        """True when [start, end) lies inside one free interval of this staff member."""
        starts = self.starts[staff_id]
        i = bisect_right(starts, start) - 1
        return i >= 0 and self.free[staff_id][i][1] >= end


class _Planner:
    """Free time per (step, staff member), and the back-to-back assignment search."""

    def __init__(self, schedule: Schedule, services: Sequence[ServiceSpec], staff_id: int | None,
                 first: dt.date, last: dt.date, cal: LocalCalendar, with_bookings: bool = True,
                 known_free: dict[int, list[Interval]] | None = None) -> None:
        """`known_free`: each staff member's free time over first..last (with_bookings), when the caller plans
        several visits on the same schedule and window (first_starts); computed here otherwise."""
        self.services = list(services)
        candidates = [staff_id] if staff_id is not None else schedule.staff
        if staff_id is not None and not all(s.id in schedule.performs.get(staff_id, ()) for s in services):
            candidates = []
        performers = [s for s in candidates if any(svc.id in schedule.performs.get(s, ()) for svc in services)]
        if known_free is not None:
            staff_free = {s: known_free[s] for s in performers}
        else:
            opening = open_days(schedule, first, last, cal)
            staff_free = {s: _free_time(schedule, s, first, last, cal, with_bookings=with_bookings, opening=opening)
                          for s in performers}
        self.steps: list[_Step] = []
        offset = 0
        for service in services:
            who = [s for s in staff_free if service.id in schedule.performs.get(s, ())]
            rooms = service.resource_id and with_bookings
            blocked = merge(schedule.resource_booked.get(service.resource_id, ())) if rooms else []
            free = {s: subtract(staff_free[s], blocked) if blocked else staff_free[s] for s in who}
            qualified = schedule.qualified.get(service.id)
            if qualified is not None:  # a restricted treatment: only the days each person is qualified for it
                who = [s for s in who if s in qualified]
                free = {s: intersect(free[s], qualified[s]) for s in who}
            self.steps.append(_Step(service, offset, who, free, {s: [a for a, _ in free[s]] for s in who}))
            offset += service.duration
        self.length = offset

    def _joined(self, i: int, left_staff: int, right_staff: int) -> bool:
        """True when steps i and i+1 share their staff member or their room/device (inner buffers dropped)."""
        a, b = self.services[i].resource_id, self.services[i + 1].resource_id
        return left_staff == right_staff or (a is not None and a == b)

    def _item(self, i: int, start: int, chosen: list[int]) -> Item:
        service = self.services[i]
        left = 0 if i > 0 and self._joined(i - 1, chosen[i - 1], chosen[i]) else service.buffer_before
        last = i == len(self.services) - 1
        right = 0 if not last and self._joined(i, chosen[i], chosen[i + 1]) else service.buffer_after
        begin = start + self.steps[i].offset
        end = begin + service.duration
        return Item(service.id, chosen[i], begin, end, begin - left, end + right, service.resource_id)

    def assign(self, start: int, first_staff: Sequence[int] | None = None) -> list[Item] | None:
        """The first back-to-back assignment (staff in preference order) for a visit at `start`, or None.

        `first_staff` narrows who is tried for step one (those already known to fit there).
        """
        chosen: list[int] = []
        return self._search(start, chosen, first_staff)

    def _search(self, start: int, chosen: list[int], first_staff: Sequence[int] | None = None) -> list[Item] | None:
        i = len(chosen)
        if i == len(self.steps):
            return self._complete(start, chosen)
        step = self.steps[i]
        begin = start + step.offset
        for staff in first_staff if i == 0 and first_staff is not None else step.staff:
            lead = 0 if i > 0 and self._joined(i - 1, chosen[i - 1], staff) else step.service.buffer_before
            tail = step.service.buffer_after if i == len(self.steps) - 1 else 0  # the last step's right side is known
            if not step.fits(staff, begin - lead, begin + step.service.duration + tail):
                continue
            chosen.append(staff)
            if i > 0:
                previous = self._item(i - 1, start, chosen)
                if not self.steps[i - 1].fits(chosen[i - 1], previous.busy_start, previous.busy_end):
                    chosen.pop()
                    continue
            found = self._search(start, chosen)
            if found is not None:
                return found
            chosen.pop()
        return None

    def _complete(self, start: int, chosen: list[int]) -> list[Item] | None:
        items = [self._item(i, start, chosen) for i in range(len(chosen))]
        last = items[-1]
        if not self.steps[-1].fits(last.staff_id, last.busy_start, last.busy_end):
            return None
        for a in range(len(items)):  # the same person or room twice in one visit must not overlap itself
            for b in range(a + 1, len(items)):
                x, y = items[a], items[b]
                shared = x.staff_id == y.staff_id or (x.resource_id is not None and x.resource_id == y.resource_id)
                if shared and x.busy_start < y.busy_end and y.busy_start < x.busy_end:
                    return None
        return items

    def first_step_starts(self, grid: Sequence[int], lo: int, hi: int) -> dict[int, tuple[int, ...]]:
        """Grid starts where some staff member can begin step one: start -> staff (preference order).

        Who fits is gathered as a bit set per start, and each distinct set becomes one shared tuple: a month of
        starts then allocates a handful of objects, not one list per start (fewer garbage collector passes).
        """
        step = self.steps[0] if self.steps else None
        if step is None:
            return {}
        single = len(self.steps) == 1
        lead = step.service.buffer_before
        tail = step.service.duration + (step.service.buffer_after if single else 0)
        masks: dict[int, int] = {}
        for bit, staff in enumerate(step.staff):
            flag = 1 << bit
            for a, b in step.free[staff]:
                first, latest = max(a + lead, lo), min(b - tail, hi)
                if first > latest:
                    continue
                for start in grid[bisect_left(grid, first):bisect_right(grid, latest)]:
                    masks[start] = masks.get(start, 0) | flag
        teams: dict[int, tuple[int, ...]] = {}
        found: dict[int, tuple[int, ...]] = {}
        for start, mask in masks.items():
            team = teams.get(mask)
            if team is None:
                team = teams[mask] = tuple(s for bit, s in enumerate(step.staff) if mask >> bit & 1)
            found[start] = team
        return found


def _window(rules: Rules, now: int, ignore_limits: bool) -> Interval:
    if ignore_limits:
        return -(10**12), 10**12
    return now + rules.min_notice_minutes, now + rules.horizon_days * DAY - 1


def find_slots(schedule: Schedule, services: Sequence[ServiceSpec], first: dt.date, last: dt.date, now: int,
               *, staff_id: int | None = None, ignore_limits: bool = False) -> list[Slot]:
    """Every bookable visit starting on the local dates first..last, sorted by start.

    `services` run back to back in the given order. `staff_id` asks for one
    staff member (who must perform every service); None means anyone.
    `ignore_limits` drops minimum notice and horizon (the venue's own diary).
    Returns [] when no service is given or nobody performs them.
    """
    if not services or last < first:
        return []
    cal = LocalCalendar(schedule.rules.timezone)
    planner = _Planner(schedule, services, staff_id, first, last, cal)
    return list(_slots(planner, _grid(schedule, first, last, cal), _window(schedule.rules, now, ignore_limits)))


def first_starts(schedule: Schedule, visits: dict[Key, Sequence[ServiceSpec]], first: dt.date, last: dt.date,
                 now: int) -> dict[Key, int | None]:
    """For each visit (its services back to back, anyone), the start of its first bookable slot on the local dates
    first..last, or None: what find_slots(...)[0].start says, without building the other slots. The opening hours
    and every staff member's free time are worked out once for all the visits (the search rows' next free slot
    asks this for every service of a venue)."""
    found: dict[Key, int | None] = dict.fromkeys(visits)
    if last < first:
        return found
    cal = LocalCalendar(schedule.rules.timezone)
    opening = open_days(schedule, first, last, cal)
    free = {s: _free_time(schedule, s, first, last, cal, with_bookings=True, opening=opening) for s in schedule.staff}
    grid, window = _grid(schedule, first, last, cal), _window(schedule.rules, now, False)
    for key, services in visits.items():
        if services:
            planner = _Planner(schedule, services, None, first, last, cal, known_free=free)
            slot = next(_slots(planner, grid, window), None)
            found[key] = slot.start if slot is not None else None
    return found


def _grid(schedule: Schedule, first: dt.date, last: dt.date, cal: LocalCalendar) -> list[int]:
    grid: list[int] = []
    for day in days(first, last):  # each day's grid is sorted and days follow each other: no sort needed
        grid.extend(cal.grid(day, schedule.rules.slot_minutes))
    return grid


def _slots(planner: _Planner, grid: list[int], window: Interval) -> Iterator[Slot]:
    """The bookable visits in start order, made one by one (a caller wanting the first stops there)."""
    candidates = planner.first_step_starts(grid, *window)
    single = len(planner.services) == 1
    for start in sorted(candidates):
        if single:
            staff = candidates[start]
            yield Slot(start, start + planner.length, staff[0], (planner._item(0, start, [staff[0]]),), staff)
            continue
        found = planner.assign(start, candidates[start])
        if found is not None:
            yield Slot(start, start + planner.length, found[0].staff_id, tuple(found), (found[0].staff_id,))


def _dates_around(cal: LocalCalendar, start: int, length: int) -> tuple[dt.date, dt.date]:
    first, _ = cal.wall(start - 8 * 60)
    last, _ = cal.wall(start + length + 8 * 60)
    return first, last


def assign_at(schedule: Schedule, services: Sequence[ServiceSpec], start: int, *, staff_id: int | None = None,
              with_bookings: bool = True) -> list[Item] | None:
    """The staff (and buffered spans) for a visit at exactly `start`, or None when it does not fit.

    Ignores the grid, notice and horizon (callers check those). With
    `with_bookings=False` only working hours, closures and time off count: a
    None then means the time is outside hours.
    """
    if not services:
        return None
    cal = LocalCalendar(schedule.rules.timezone)
    first, last = _dates_around(cal, start, sum(s.duration for s in services))
    planner = _Planner(schedule, services, staff_id, first, last, cal, with_bookings=with_bookings)
    return planner.assign(start)


def nearest(slots: Sequence[Slot], start: int, count: int = 5) -> list[Slot]:
    """Up to `count` slots closest in time to `start` (earlier first on ties), sorted by start."""
    ranked = sorted(slots, key=lambda s: (abs(s.start - start), s.start))[:count]
    return sorted(ranked, key=lambda s: s.start)

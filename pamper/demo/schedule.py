"""Opening hours, shifts, closures and time off for demo venues, in local wall-clock time.

Pure functions: times are minutes after local midnight, days are Python
weekdays (0 = Monday). Local habits show through: a long lunch closing in
Spain and Italy, hairdressers shut on Mondays in much of the continent, late
Thursdays in the UK, Ireland and the Netherlands.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from .locale_data import HOLIDAYS
from .rand import between, pick, take

Interval = tuple[int, int]
Week = dict[int, list[Interval]]

SPLIT_CHANCE = {"ES": 0.6, "IT": 0.6, "FR": 0.25, "PT": 0.25}
MONDAY_OFF = ("FR", "IT", "BE", "DE", "PT")
LATE_THURSDAY = ("GB", "IE", "NL")


def _h(hours: float) -> int:
    return int(hours * 60)


def open_days(rng: random.Random, country: str, kind: str) -> list[int]:
    """Which weekdays the venue opens."""
    if kind == "spa":
        return list(range(7))
    if kind == "clinic":
        return [0, 1, 2, 3, 4] + ([5] if rng.random() < 0.5 else [])
    days = [1, 2, 3, 4, 5] if kind == "salon" and country in MONDAY_OFF and rng.random() < 0.6 else [0, 1, 2, 3, 4, 5]
    sunday = 0.3 if kind == "barber" else 0.2 if country in LATE_THURSDAY else 0.0
    return days + ([6] if rng.random() < sunday else [])


def _split(rng: random.Random, country: str, opens: int, closes: int) -> list[Interval]:
    """The day as two intervals around a lunch closing in the local style."""
    if country in ("ES", "IT"):
        return [(opens, pick(rng, (_h(13.5), _h(14)))), (pick(rng, (_h(16), _h(16.5), _h(17))), max(closes, _h(20)))]
    if country == "FR":
        return [(opens, pick(rng, (_h(12), _h(12.5)))), (_h(14), closes)]
    return [(opens, _h(13)), (pick(rng, (_h(14), _h(15)) if country == "PT" else (_h(14),)), closes)]


OPENS = (_h(8.5), _h(9), _h(9), _h(9.5), _h(10))
CLOSES = (_h(17.5), _h(18), _h(18), _h(18.5), _h(19))
SPA_CLOSES = (_h(20), _h(21))
LUNCH_AT = (_h(12.5), _h(13), _h(13.5))
THREE_HOURS, SEVEN_HOURS = _h(3), _h(7)


def opening_hours(rng: random.Random, country: str, kind: str) -> Week:
    """The venue's weekly opening intervals, Monday first; some days have two."""
    opens = _h(10) if kind == "spa" else pick(rng, OPENS)
    closes = pick(rng, SPA_CLOSES) if kind == "spa" else pick(rng, CLOSES)
    wants_split = kind != "spa" and rng.random() < SPLIT_CHANCE.get(country, 0.05)
    split = _split(rng, country, opens, closes) if wants_split else None
    late_thursday = kind == "salon" and country in LATE_THURSDAY and rng.random() < 0.3
    week: Week = {}
    for day in open_days(rng, country, kind):
        if day == 6:
            week[day] = [(_h(10), _h(18) if kind == "spa" else _h(16))]
        elif day == 5 and kind != "spa":
            week[day] = [(opens, _h(14) if split is not None or kind == "clinic" else min(closes, _h(17)))]
        elif split:
            week[day] = list(split)
        else:
            week[day] = [(opens, _h(20) if late_thursday and day == 3 else closes)]
    return week


def staff_shifts(rng: random.Random, week: Week, lead: bool) -> Week:
    """A staff member's weekly shifts inside the opening hours, Monday first; some take a lunch break."""
    days = list(week)  # opening_hours lists the days in order
    if lead:
        working = days[:6]
    else:
        part_time = rng.random() < 0.15
        count = pick(rng, (2, 3)) if part_time else pick(rng, (4, 5, 5, 5, 6))
        working = sorted(take(rng, days, min(count, len(days))))
    lunch = rng.random() < 0.4
    noon, pause = (pick(rng, LUNCH_AT), pick(rng, (30, 45, 60))) if lunch else (0, 0)
    shifts: Week = {}
    for day in working:
        intervals = week[day]
        start, end = intervals[0]
        if lunch and len(intervals) == 1 and end - start >= SEVEN_HOURS:
            split = max(start + THREE_HOURS, min(noon, end - THREE_HOURS))
            shifts[day] = [(start, split), (split + pause, end)]
        else:
            shifts[day] = intervals
    return shifts


def next_occurrence(today: dt.date, month: int, day: int) -> dt.date:
    """The first date on or after today that falls on month/day."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year >= today else dt.date(today.year + 1, month, day)


def closures(rng: random.Random, country: str, today: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """A few whole-day closures ahead: public holidays some venues take, now and then a refurbishment."""
    out = []
    for month, day, reason in HOLIDAYS[country]:
        if rng.random() < 0.3:
            when = next_occurrence(today, month, day)
            out.append((when, when, reason))
    if rng.random() < 0.08:
        start = today + dt.timedelta(days=between(rng, 7, 90))
        reason = pick(rng, ("Refurbishment", "Staff training", "Closed for a private event"))
        out.append((start, start + dt.timedelta(days=between(rng, 0, 6) if reason == "Refurbishment" else 0), reason))
    return sorted(out)


def time_off(rng: random.Random, today: dt.date, zone: zoneinfo.ZoneInfo) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Absences ahead as UTC instants: whole local days of leave, or an afternoon."""
    roll = rng.random()
    if roll < 0.25:
        first = today + dt.timedelta(days=between(rng, 2, 60))
        last = first + dt.timedelta(days=pick(rng, (1, 1, 2, 3, 5, 7)))
        start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
        end = dt.datetime.combine(last, dt.time(0), tzinfo=zone)
        return [(start.astimezone(dt.UTC), end.astimezone(dt.UTC), pick(rng, ("Annual leave", "Training course")))]
    if roll < 0.35:
        day = today + dt.timedelta(days=between(rng, 1, 30))
        start = dt.datetime.combine(day, dt.time(13), tzinfo=zone)
        end = dt.datetime.combine(day, dt.time(18), tzinfo=zone)
        return [(start.astimezone(dt.UTC), end.astimezone(dt.UTC), "Afternoon off")]
    return []

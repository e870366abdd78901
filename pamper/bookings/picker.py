"""The booking pages' slot picker: day chips for a fortnight and the chosen day's free times by part of the day.

Read only: one schedule fetch per page, whatever the fortnight holds. Times
are the venue's local wall clock; on a day whose offset changes each time
names its zone abbreviation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from pamper.lib import clock
from pamper.venues.models import Service, Staff, Venue

from . import availability as av
from .localtime import LocalCalendar, days, from_minute, to_minute_ceil
from .present import iso
from .schedule import load_schedule, spec_of

DAYS_SHOWN = 14
# The parts of the day the slots are grouped under, named in the reader's language.
PARTS = ((12 * 60, gettext_lazy("Morning")), (17 * 60, gettext_lazy("Afternoon")), (24 * 60, gettext_lazy("Evening")))


@dataclass
class DayChip:
    day: dt.date
    count: int
    chosen: bool
    empty: str = ""  # with no free time: "closed" (the venue), "off" (nobody, or the one asked for, works) or "full"


@dataclass
class Picker:
    """What the picker shows: the visit, the day chips, the chosen day's slots grouped by part of the day."""

    venue: Venue
    services: list[Service]
    staff_id: int | None
    days: list[DayChip] = field(default_factory=list)
    day: dt.date | None = None
    groups: list[tuple[str, list[dict[str, str]]]] = field(default_factory=list)
    earlier: dt.date | None = None
    later: dt.date | None = None
    zone_name: str = ""

    @property
    def minutes(self) -> int:
        return sum(s.duration_minutes for s in self.services)


def _slot_rows(slots: list[av.Slot], venue: Venue, names: dict[int, str],
               staff_id: int | None) -> list[tuple[str, list[dict[str, str]]]]:
    zone = venue.tz
    offsets = {from_minute(s.start).astimezone(zone).utcoffset() for s in slots}
    groups: dict[int, list[dict[str, str]]] = {}
    for slot in slots:
        local = from_minute(slot.start).astimezone(zone)
        minute = local.hour * 60 + local.minute
        part = next(limit for limit, _label in PARTS if minute < limit)
        label = local.strftime("%H:%M") + (f" {local.tzname()}" if len(offsets) > 1 else "")
        groups.setdefault(part, []).append({"iso": iso(slot.start, venue), "label": label,
                                            "who": names.get(slot.staff_id, "") if staff_id else ""})
    return [(str(label), groups[limit]) for limit, label in PARTS if limit in groups]


def _why_empty(schedule: av.Schedule, first: dt.date, last: dt.date, venue: Venue,
               staff_id: int | None) -> Callable[[dt.date], str]:
    """Why a day has no free time: the venue is closed, nobody able (or the person asked for) works, or it is full."""
    cal = LocalCalendar(venue.timezone)
    opening = av.open_days(schedule, first, last, cal)
    people = [staff_id] if staff_id is not None else list(schedule.staff)

    def why(day: dt.date) -> str:
        hours = opening.get(day)
        if not hours:
            return "closed"
        if not any(av.working_time(schedule, p, day, day, cal, {day: hours}) for p in people):
            return "off"
        return "full"

    return why


def _zone_note(venue: Venue, now: dt.datetime) -> str:
    """The venue's zone as people name it, with its abbreviation now when the language has one ('British Time
    (GMT)'); a language without one names the zone once, not twice ('heure britannique')."""
    name, short = clock.zone_name(venue.timezone), clock.zone_name(venue.timezone, now)
    return name if short == name else f"{name} ({short})"


def build_picker(venue: Venue, services: list[Service], staff_id: int | None, *, day: dt.date | None,
                 start_day: dt.date | None, staff: list[Staff], now: dt.datetime,
                 not_before: dt.datetime | None = None) -> Picker:
    """Slots for DAYS_SHOWN local days from `start_day` (one schedule fetch), and the chosen day's slots; none
    starting before `not_before` (a patch test's lead time: the booking would refuse them)."""
    picker = Picker(venue, services, staff_id)
    picker.zone_name = _zone_note(venue, now)
    if not services:
        return picker
    today = now.astimezone(venue.tz).date()
    last_open = today + dt.timedelta(days=venue.horizon_days)
    first = min(max(start_day or today, today), last_open)
    last = min(first + dt.timedelta(days=DAYS_SHOWN - 1), last_open)
    schedule = load_schedule(venue, {s.id for s in services}, first, last, now)
    slots = av.find_slots(schedule, [spec_of(s) for s in services], first, last, to_minute_ceil(now), staff_id=staff_id)
    if not_before is not None:
        slots = [s for s in slots if s.start >= to_minute_ceil(not_before)]
    by_day: dict[dt.date, list[av.Slot]] = {}
    for slot in slots:
        by_day.setdefault(from_minute(slot.start).astimezone(venue.tz).date(), []).append(slot)
    if day is None or not first <= day <= last:
        day = next(iter(sorted(by_day)), first)
    picker.day = day
    why = _why_empty(schedule, first, last, venue, staff_id)
    picker.days = [DayChip(d, n, d == day, "" if n else why(d)) for d in days(first, last)
                   for n in [len(by_day.get(d, []))]]
    picker.groups = _slot_rows(by_day.get(day, []), venue, {s.id: s.name for s in staff}, staff_id)
    picker.earlier = max(first - dt.timedelta(days=DAYS_SHOWN), today) if first > today else None
    picker.later = last + dt.timedelta(days=1) if last < last_open else None
    return picker

"""What the workspace reads: the calendar of a venue over a range of local days, and what stops a listing.

`load_calendar` fetches staff, their shifts, opening hours, closures, time off
and active booking items in six queries, whatever the number of days or staff.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext

from pamper.bookings import nextfree
from pamper.bookings.models import BookingItem, Status
from pamper.lib import clock
from pamper.venues.models import Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

from .calendar import Block, Column, Wall, day_bounds


def local_today(venue: Venue) -> dt.date:
    return clock.now().astimezone(venue.tz).date()


@dataclass
class CalendarData:
    columns: list[Column]
    opening: list[Wall]
    closures: dict[dt.date, str]


def _item_block(item: BookingItem) -> Block:
    booking = item.booking
    kind = "hold" if booking.status == Status.HELD else "booking"
    title = booking.client.name if kind == "booking" else gettext("Held: %(name)s") % {"name": booking.client.name}
    return Block(kind, item.start, item.end, title, item.service.name, booking.id, booking.status)


def load_calendar(venue: Venue, first_day: dt.date, days: int, staff_id: int | None = None) -> CalendarData:
    """Everything on the calendar from first_day for `days` local days; one column per active staff member."""
    tz = venue.tz
    lo, _ = day_bounds(first_day, tz)
    _, hi = day_bounds(first_day + dt.timedelta(days=days - 1), tz)
    staff_qs = Staff.objects.filter(venue=venue, is_active=True)
    if staff_id is not None:
        staff_qs = staff_qs.filter(pk=staff_id)
    columns = {s.pk: Column(s.pk, s.name) for s in staff_qs.only("id", "name")}
    for shift in Shift.objects.filter(staff_id__in=columns):
        columns[shift.staff_id].shifts.append(Wall(shift.weekday, shift.start, shift.end, shift.valid_from,
                                                   shift.valid_until))
    for off in TimeOff.objects.filter(staff_id__in=columns, start__lt=hi, end__gt=lo):
        columns[off.staff_id].blocks.append(Block("timeoff", off.start, off.end, gettext("Time off"), off.reason))
    items = (
        BookingItem.objects.filter(venue=venue, staff_id__in=columns, active=True, busy_start__lt=hi, busy_end__gt=lo)
        .select_related("booking__client", "service")
        .order_by("start")
    )
    for item in items:
        columns[item.staff_id].blocks.append(_item_block(item))
    opening = [Wall(h.weekday, h.opens, h.closes) for h in OpeningHours.objects.filter(venue=venue)]
    closures: dict[dt.date, str] = defaultdict(str)
    last_day = first_day + dt.timedelta(days=days - 1)
    for closure in Closure.objects.filter(venue=venue, start_date__lte=last_day, end_date__gte=first_day):
        day = max(closure.start_date, first_day)
        while day <= min(closure.end_date, last_day):
            closures[day] = closure.reason  # "" when none was given: the calendar then says only that it is closed
            day += dt.timedelta(days=1)
    return CalendarData(list(columns.values()), opening, dict(closures))


def opening_hours(venue: Venue, exclude: int | None = None) -> list[tuple[int, dt.time, dt.time]]:
    """The venue's opening hours as (weekday, opens, closes), leaving out the row `exclude` (an id) if given."""
    return [(h.weekday, h.opens, h.closes) for h in OpeningHours.objects.filter(venue=venue).exclude(pk=exclude)]


def publish_problems(venue: Venue) -> list[str]:
    """What stops the venue from being listed; empty when it can be published."""
    problems = []
    if not OpeningHours.objects.filter(venue=venue).exists():
        problems.append(gettext("Set your opening hours."))
    if not Service.objects.filter(venue=venue, is_active=True).exists():
        problems.append(gettext("Add at least one service with a price."))
    return problems


def unbookable_services(venue: Venue, now: dt.datetime) -> list[Service]:
    """The active services customers may book online that have no free start in the venue's whole horizon: nobody
    performs them, their performers have no shift inside the opening hours, a restricted treatment has nobody
    whose verified credentials cover it, or the diary is full. Empty when every one can be booked."""
    services = list(Service.objects.select_related("venue").filter(venue=venue, is_active=True, online_bookable=True)
                    .order_by("position", "name"))
    if not services:
        return []
    firsts = nextfree.first_slots(venue, {s.id: [s] for s in services}, now)
    return [s for s in services if firsts[s.id] is None]

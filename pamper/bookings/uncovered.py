"""Reads: the upcoming bookings a change to a venue's week or team would leave without cover.

Removing a shift, switching a staff member off, taking a service from a staff member (or a staff member off a
service), switching a service off, closing the venue for some days, giving a staff member time off or taking away
opening hours leaves the bookings already made as they are: outside every shift of their staff member, with a
practitioner who no longer works, is away or no longer does the service, for a service no longer offered, on a day
the venue is closed or outside its hours. The venue's owner is asked before such a change (the workspace,
`partner.cover`): venues, which writes it, stands below bookings and cannot look. Each function answers the booking
items concerned, one per booking, soonest first, with the booking, its client, the service and the staff member
read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

from django.db.models import QuerySet

from pamper.lib import walltime
from pamper.venues.models import OpeningHours, Service, Shift, Staff, Venue

from .intervals import Interval, merge
from .localtime import LocalCalendar, to_minute, to_minute_ceil
from .models import CHANGEABLE, BookingItem, Status

# Bookings still to come: a checkout hold (minutes long) is left out, it is not a booking yet.
UPCOMING = frozenset(CHANGEABLE - {Status.HELD})


def _upcoming(venue_id: int, now: dt.datetime) -> QuerySet[BookingItem]:
    return (BookingItem.objects.filter(venue_id=venue_id, active=True, start__gte=now, booking__status__in=UPCOMING)
            .select_related("booking__client", "service", "staff").order_by("start", "booking_id", "position"))


def _one_per_booking(items: Iterable[BookingItem]) -> list[BookingItem]:
    seen: set[int] = set()
    out = []
    for item in items:
        if item.booking_id not in seen:
            seen.add(item.booking_id)
            out.append(item)
    return out


def of_staff(staff: Staff, now: dt.datetime, service_ids: Collection[int] | None = None) -> list[BookingItem]:
    """The staff member's upcoming bookings (only those for `service_ids` when given)."""
    items = _upcoming(staff.venue_id, now).filter(staff_id=staff.pk)
    if service_ids is not None:
        items = items.filter(service_id__in=service_ids)
    return _one_per_booking(items)


def of_service(service: Service, now: dt.datetime, staff_ids: Collection[int] | None = None) -> list[BookingItem]:
    """The service's upcoming bookings (only those with one of `staff_ids` when given)."""
    items = _upcoming(service.venue_id, now).filter(service_id=service.pk)
    if staff_ids is not None:
        items = items.filter(staff_id__in=staff_ids)
    return _one_per_booking(items)


def _applies(shift: Shift, day: dt.date) -> bool:
    return (shift.weekday == day.weekday() and (shift.valid_from is None or shift.valid_from <= day)
            and (shift.valid_until is None or day <= shift.valid_until))


def _span(shift: Shift, day: dt.date, cal: LocalCalendar) -> Interval:
    return cal.utc(day, walltime.minute_of_day(shift.start)), cal.utc(day, walltime.minute_of_day(shift.end))


def outside_shifts(shift: Shift, now: dt.datetime) -> list[BookingItem]:
    """The upcoming bookings of the shift's staff member that `shift` helps cover and their other shifts do not
    (a visit across two back-to-back shifts counts as covered by both)."""
    staff = Staff.objects.select_related("venue").get(pk=shift.staff_id)
    cal, tz = LocalCalendar(staff.venue.timezone), staff.venue.tz
    others = list(Shift.objects.filter(staff_id=staff.pk).exclude(pk=shift.pk))
    found = []
    for item in _upcoming(staff.venue_id, now).filter(staff_id=staff.pk):
        day = item.start.astimezone(tz).date()
        start, end = to_minute(item.start), to_minute_ceil(item.end)
        if not _applies(shift, day):
            continue
        gone = _span(shift, day, cal)
        if not (gone[0] < end and start < gone[1]):
            continue
        kept = merge(_span(other, day, cal) for other in others if _applies(other, day))
        if not any(a <= start and end <= b for a, b in kept):
            found.append(item)
    return _one_per_booking(found)


def on_days(venue: Venue, first: dt.date, last: dt.date, now: dt.datetime) -> list[BookingItem]:
    """The venue's upcoming bookings on the local days first..last (a visit never crosses a local midnight)."""
    cal = LocalCalendar(venue.timezone)
    lo, hi = (dt.datetime.fromtimestamp(cal.utc(day, 0) * 60, dt.UTC) for day in (first, last + dt.timedelta(days=1)))
    return _one_per_booking(_upcoming(venue.pk, now).filter(start__gte=lo, start__lt=hi))


def during(staff: Staff, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list[BookingItem]:
    """The staff member's upcoming bookings that overlap start..end (back to back does not count)."""
    return _one_per_booking(_upcoming(staff.venue_id, now).filter(staff_id=staff.pk, start__lt=end, end__gt=start))


def outside_hours(venue: Venue, hours: Sequence[tuple[int, dt.time, dt.time]], now: dt.datetime) -> list[BookingItem]:
    """The venue's upcoming bookings that its opening hours cover now and the weekly `hours` (weekday, opens,
    closes) would not, on their own local day (back-to-back intervals count as one). A booking already outside the
    hours (the owner confirmed that earlier) is not asked about again."""
    cal, tz = LocalCalendar(venue.timezone), venue.tz
    before = list(OpeningHours.objects.filter(venue=venue).values_list("weekday", "opens", "closes"))

    def covered(week: Sequence[tuple[int, dt.time, dt.time]], day: dt.date, start: int, end: int) -> bool:
        spans = merge((cal.utc(day, walltime.minute_of_day(a)), cal.utc(day, walltime.minute_of_day(b)))
                      for weekday, a, b in week if weekday == day.weekday())
        return any(a <= start and end <= b for a, b in spans)

    found = []
    for item in _upcoming(venue.pk, now):
        day = item.start.astimezone(tz).date()
        start, end = to_minute(item.start), to_minute_ceil(item.end)
        if covered(before, day, start, end) and not covered(hours, day, start, end):
            found.append(item)
    return _one_per_booking(found)

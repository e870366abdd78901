"""Fetch what availability needs in a fixed number of queries, whatever the date range.

1. `load_services`: the requested services with their venue (one query).
2. `load_schedule`: opening hours, closure days, shifts and who performs what
   as one UNION ALL query, then booked spans and time off as a second one.

The rows become an `availability.Schedule` of plain integers and dates; the
pure function does the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import BigIntegerField, DateField, IntegerField, Q, TimeField, Value
from django.db.models.functions import Cast

from pamper.venues.models import Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

from .availability import Rules, Schedule, ServiceSpec, Weekly, to_minute, to_minute_ceil
from .models import BookingItem, Status

# Items never span more than a day (720-minute service plus two 240-minute
# buffers), so the index on (venue, busy_start) can bound the scan from below.
LONGEST_ITEM = dt.timedelta(days=1)


def rules_of(venue: Venue) -> Rules:
    return Rules(venue.timezone, venue.slot_minutes, venue.min_notice_minutes, venue.horizon_days)


def spec_of(service: Service) -> ServiceSpec:
    return ServiceSpec(service.id, service.duration_minutes, service.buffer_before, service.buffer_after, service.resource_id)


def load_services(venue_id: int, service_ids: Sequence[int], *, online: bool = True) -> tuple[Venue | None, list[Service]]:
    """The venue and the requested services in the requested order (repeats allowed), in one query.

    Services of another venue, inactive ones, or (with `online`) ones not
    bookable online are missing from the list; the venue is None when no
    service was found. Callers compare lengths to spot unknown ids.
    """
    rows = Service.objects.select_related("venue").filter(venue_id=venue_id, id__in=set(service_ids), is_active=True)
    if online:
        rows = rows.filter(online_bookable=True, venue__is_published=True)
    by_id = {s.id: s for s in rows}
    found = [by_id[i] for i in service_ids if i in by_id]
    return (found[0].venue if found else None), found


def _minute_of_day(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _nulls(*fields: type) -> list[Cast]:
    # Typed NULLs: PostgreSQL resolves UNION column types branch by branch and
    # would take a bare NULL column of the first two branches as text.
    return [Cast(Value(None), output_field=f()) for f in fields]


def _schedule_rows(venue: Venue, service_ids: Iterable[int], first: dt.date, last: dt.date) -> list[tuple]:
    """(kind, staff, ref, number, time1, time2, date1, date2) rows for hours, closures, shifts and skills."""
    i, b, t, d = IntegerField, BigIntegerField, TimeField, DateField
    opening = OpeningHours.objects.filter(venue=venue).order_by().values_list(
        Value(1, output_field=i()), *_nulls(b, b), "weekday", "opens", "closes", *_nulls(d, d))
    closures = Closure.objects.filter(venue=venue, end_date__gte=first, start_date__lte=last).order_by().values_list(
        Value(2, output_field=i()), *_nulls(b, b, i, t, t), "start_date", "end_date")
    shifts = Shift.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=last), Q(valid_until__isnull=True) | Q(valid_until__gte=first),
        staff__venue=venue, staff__is_active=True,
    ).order_by().values_list(Value(3, output_field=i()), "staff_id", *_nulls(b), "weekday", "start", "end", "valid_from", "valid_until")
    skills = Staff.services.through.objects.filter(
        staff__venue=venue, staff__is_active=True, service_id__in=set(service_ids)
    ).order_by().values_list(Value(4, output_field=i()), "staff_id", "service_id", "staff__position", *_nulls(t, t, d, d))
    return list(opening.union(closures, shifts, skills, all=True))


def _busy_rows(venue: Venue, lo: dt.datetime, hi: dt.datetime, now: dt.datetime) -> list[tuple]:
    """(kind, staff, resource, start, end) rows: 1 = an active booking item, 2 = time off."""
    i, b = IntegerField, BigIntegerField
    items = (
        BookingItem.objects.filter(venue=venue, active=True, busy_start__lt=hi, busy_end__gt=lo, busy_start__gte=lo - LONGEST_ITEM)
        .exclude(booking__status=Status.HELD, booking__hold_expires_at__lte=now)  # an expired hold frees its slot at once
        .order_by().values_list(Value(1, output_field=i()), "staff_id", "resource_id", "busy_start", "busy_end")
    )
    away = TimeOff.objects.filter(staff__venue=venue, start__lt=hi, end__gt=lo).order_by().values_list(
        Value(2, output_field=i()), "staff_id", *_nulls(b), "start", "end")
    return list(items.union(away, all=True))


def load_schedule(venue: Venue, service_ids: Iterable[int], first: dt.date, last: dt.date, now: dt.datetime) -> Schedule:
    """The venue's schedule for local dates first..last, in two queries."""
    ids = set(service_ids)
    schedule = Schedule(rules_of(venue))
    skills: dict[int, set[int]] = {}
    order: dict[int, tuple[int, int]] = {}
    for kind, staff, ref, number, t1, t2, d1, d2 in _schedule_rows(venue, ids, first, last):
        if kind == 1:
            schedule.opening.append(Weekly(number, _minute_of_day(t1), _minute_of_day(t2)))
        elif kind == 2:
            schedule.closures.append((d1, d2))
        elif kind == 3:
            schedule.shifts.setdefault(staff, []).append(Weekly(number, _minute_of_day(t1), _minute_of_day(t2), d1, d2))
        else:
            skills.setdefault(staff, set()).add(ref)
            order[staff] = (number, staff)
    schedule.staff = sorted(skills, key=order.__getitem__)
    schedule.performs = {s: frozenset(v) for s, v in skills.items()}
    zone = venue.tz
    lo = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=zone)
    hi = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=zone)
    for kind, staff, resource, start, end in _busy_rows(venue, lo, hi, now):
        span = (to_minute(start), to_minute_ceil(end))
        target = schedule.booked if kind == 1 else schedule.away
        target.setdefault(staff, []).append(span)
        if kind == 1 and resource is not None:
            schedule.resource_booked.setdefault(resource, []).append(span)
    return schedule

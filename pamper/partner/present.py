"""JSON forms of workspace objects for the partner API: local times with offsets, money as strings.

A calendar day, services, staff and weekly shifts.
Bookings are shaped by pamper.bookings.present.booking_json(for_venue=True), the customer API's own function.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pamper.lib import walltime
from pamper.lib.money import money_str
from pamper.venues.models import Service, Shift, Staff

from . import calendar
from .queries import CalendarData


def _ranges(ranges: list[tuple[dt.datetime, dt.datetime]], tz: Any) -> list[dict[str, str]]:
    return [{"start": s.astimezone(tz).isoformat(), "end": e.astimezone(tz).isoformat()} for s, e in ranges]


def calendar_day_json(day: dt.date, data: CalendarData, tz: Any) -> dict[str, Any]:
    """One local day of the calendar: whether it is closed and, per staff member, working time, breaks and events."""
    lo, hi = calendar.day_bounds(day, tz)
    opening = calendar.expand(data.opening, day, tz)
    closed = data.closures.get(day)
    staff = []
    for column in data.columns:
        working = [] if closed is not None else calendar.working(column, day, tz, opening)
        breaks = [(a[1], b[0]) for a, b in itertools.pairwise(working) if a[1] < b[0]]
        events = [
            {"kind": b.kind, "start": b.start.astimezone(tz).isoformat(), "end": b.end.astimezone(tz).isoformat(),
             "booking_id": b.booking_id, "status": b.status, "title": b.title, "detail": b.detail}
            for b in sorted(column.blocks, key=lambda b: b.start) if b.start < hi and b.end > lo
        ]
        staff.append({"id": column.staff_id, "name": column.name, "working": _ranges(working, tz),
                      "breaks": _ranges(breaks, tz), "events": events})
    return {"date": day, "closed": closed, "staff": staff}


def service_out(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk, "treatment_id": service.treatment_id, "kind": service.kind, "name": service.name,
        "variant": service.variant, "description": service.description,
        "price": money_str(service.price, service.currency), "currency": service.currency,
        "duration_minutes": service.duration_minutes,
        "buffer_before": service.buffer_before, "buffer_after": service.buffer_after,
        "online_bookable": service.online_bookable, "is_active": service.is_active,
        "staff_ids": sorted(s.pk for s in service.staff.all()),
    }


def staff_out(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.pk, "name": staff.name, "title": staff.title, "bio": staff.bio, "is_active": staff.is_active,
        "user_id": staff.user_id, "service_ids": sorted(s.pk for s in staff.services.all()),
    }


def shift_out(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.pk, "staff_id": shift.staff_id, "weekday": shift.weekday, "start": walltime.text(shift.start),
        "end": walltime.text(shift.end), "valid_from": shift.valid_from, "valid_until": shift.valid_until,
    }

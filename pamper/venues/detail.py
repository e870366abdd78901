"""Everything shown about one venue, read in a fixed number of queries (six, whatever its size).

The API (`GET /venues/{id}`) and the venue page both read through `venue_detail`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .models import WEEKDAYS, Closure, OpeningHours, Service, Staff, Venue


@dataclass
class VenueDetail:
    venue: Venue
    services: list[Service]
    staff: list[Staff]
    hours: list[OpeningHours]
    closures: list[Closure]  # current and ahead, in the venue's local dates
    staff_of: dict[int, list[int]] = field(default_factory=dict)  # service id -> staff ids
    services_of: dict[int, list[int]] = field(default_factory=dict)  # staff id -> service ids
    today: dt.date | None = None

    def week(self) -> list[tuple[str, list[OpeningHours]]]:
        """(day name, that day's intervals) Monday to Sunday; an empty list means closed."""
        by_day: dict[int, list[OpeningHours]] = defaultdict(list)
        for row in self.hours:
            by_day[row.weekday].append(row)
        return [(name, by_day.get(number, [])) for number, name in WEEKDAYS]


def venue_detail(venue: Venue, *, now: dt.datetime) -> VenueDetail:
    """The venue's active services (with treatment and category), active staff, hours and closures ahead."""
    today = now.astimezone(venue.tz).date()
    services = list(
        Service.objects.filter(venue=venue, is_active=True)
        .select_related("treatment__category")
        .order_by("position", "name", "id")
    )
    staff = list(Staff.objects.filter(venue=venue, is_active=True))
    hours = list(OpeningHours.objects.filter(venue=venue).order_by("weekday", "opens"))
    closures = list(Closure.objects.filter(venue=venue, end_date__gte=today).order_by("start_date")[:20])
    links = Staff.services.through.objects.filter(staff__venue=venue, staff__is_active=True, service__is_active=True)
    staff_of: dict[int, list[int]] = defaultdict(list)
    services_of: dict[int, list[int]] = defaultdict(list)
    for staff_id, service_id in links.order_by("staff_id", "service_id").values_list("staff_id", "service_id"):
        staff_of[service_id].append(staff_id)
        services_of[staff_id].append(service_id)
    return VenueDetail(venue, services, staff, hours, closures, dict(staff_of), dict(services_of), today)

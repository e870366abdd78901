"""Reads about venues: everything shown about one venue, and what the home page counts.

`venue_detail` reads one venue in a fixed number of queries (six, whatever
its size); the API (`GET /venues/{id}`) and the venue page both read through
it. `popular_treatments` and `patch_test_rules` feed the home page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.utils.dates import WEEKDAYS as DAY_NAMES

from pamper.catalog.models import Treatment

from .favourites import Favourite
from .models import WEEKDAYS, Closure, OpeningHours, Service, ServiceKind, Staff, Venue

POPULAR_CACHE_KEY = "venues:popular-treatments:v1"
POPULAR_CACHE_SECONDS = 3600


@dataclass
class VenueDetail:
    venue: Venue
    services: list[Service]
    staff: list[Staff]
    hours: list[OpeningHours]
    closures: list[Closure]  # current and ahead, in the venue's local dates
    staff_of: dict[int, list[int]] = field(default_factory=dict)  # service id -> staff ids
    services_of: dict[int, list[int]] = field(default_factory=dict)  # staff id -> service ids

    def week(self) -> list[tuple[str, list[OpeningHours]]]:
        """(day name in the active language, that day's intervals) Monday to Sunday; an empty list means closed."""
        by_day: dict[int, list[OpeningHours]] = defaultdict(list)
        for row in self.hours:
            by_day[row.weekday].append(row)
        return [(DAY_NAMES[number], by_day.get(number, [])) for number, _name in WEEKDAYS]


def venue_detail(venue: Venue, *, now: dt.datetime) -> VenueDetail:
    """The venue's active services (with treatment and category), active staff, hours and closures ahead."""
    today = now.astimezone(venue.tz).date()
    services = list(
        Service.objects.filter(venue=venue, is_active=True)
        .select_related("treatment__category")
        .defer(*(f"treatment__{name}" for name in Treatment.GUIDE_TEXT))
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
    return VenueDetail(venue, services, staff, hours, closures, dict(staff_of), dict(services_of))


def offer_counts(limit: int) -> list[tuple[int, int]]:
    """(treatment id, number of services offering it) for the most offered treatments, cached for an hour."""
    def count() -> list[tuple[int, int]]:
        rows = (
            # Read from the (treatment, kind, variant, is_active) index alone: no join, no table rows.
            Service.objects.filter(kind=ServiceKind.TREATMENT, variant="", is_active=True)
            .values_list("treatment_id")
            .annotate(n=Count("id"))
            .order_by("-n", "treatment_id")[:limit]
        )
        return [(treatment_id, n) for treatment_id, n in rows]

    return cache.get_or_set(f"{POPULAR_CACHE_KEY}:{limit}", count, POPULAR_CACHE_SECONDS)


def popular_treatments(limit: int = 8) -> list[tuple[Treatment, int]]:
    """(treatment, how many venues offer it), most offered first; guided treatments when nothing is offered yet."""
    counts = offer_counts(limit)
    if counts:
        by_id = Treatment.objects.select_related("category").in_bulk([tid for tid, _ in counts])
        return [(by_id[tid], n) for tid, n in counts if tid in by_id]
    guided = Treatment.objects.exclude(guide_what="").select_related("category").order_by("name")[:limit]
    return [(t, 0) for t in guided]


def patch_test_rules() -> list[tuple[int, list[Treatment]]]:
    """(lead hours, treatments needing a patch test that long before), shortest lead first."""
    rules: dict[int, list[Treatment]] = {}
    for t in Treatment.objects.filter(patch_test_lead_hours__isnull=False).order_by("name"):
        rules.setdefault(t.patch_test_lead_hours, []).append(t)
    return sorted(rules.items())


def favourite_ids(user: Any) -> set[int]:
    """The ids of the venues the user keeps as favourites (empty for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Favourite.objects.filter(user=user).values_list("venue_id", flat=True))


def favourite_venues(user: Any) -> list[Venue]:
    """The user's favourite venues that are still published, the latest kept first."""
    return [f.venue for f in Favourite.objects.filter(user=user, venue__is_published=True).select_related("venue")]

"""Reads for the booking pages: what a venue offers online and who can do it.

The schedule a slot search needs is read by `schedule.py`; a customer's own
bookings by `Booking.objects.for_customer(user)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pamper.catalog.models import Treatment
from pamper.lib import clock
from pamper.venues.models import Service, Staff, Venue

from . import hooks


def online_menu(venue: Venue, *, treatments: bool = True) -> list[Service]:
    """The venue's active services bookable online, in menu order, with their treatment (unless `treatments` is
    False: the booking page reads only the chosen services' treatments, with `with_treatments`). Each service's
    `venue` is the one given: not read again."""
    services = Service.objects.filter(venue=venue, is_active=True, online_bookable=True).order_by("position", "name")
    menu = list(services.select_related("treatment") if treatments else services)
    for service in menu:
        service.venue = venue
    return menu


def with_treatments(services: list[Service]) -> list[Service]:
    """`services` with their treatments read, in one query for those not read yet. A treatment's other-language
    text (`translations`, tens of kilobytes of JSON: its guides in every language) is read only when a page in
    another language shows one of its words (catalog.i18n reads it then, once per treatment)."""
    missing = {s.treatment_id for s in services if s.treatment_id and not Service.treatment.is_cached(s)}
    if missing:
        found = Treatment.objects.defer("translations", *Treatment.GUIDE_TEXT).in_bulk(missing)
        for service in services:
            if service.treatment_id in found:
                service.treatment = found[service.treatment_id]
    return services


def active_staff(venue: Venue) -> list[Staff]:
    """The venue's active staff, each with `service_ids`: the ids of the services they perform (all the booking
    pages ask of their services; two queries, no Service rows built)."""
    staff = list(Staff.objects.filter(venue=venue, is_active=True))
    performs: dict[int, set[int]] = defaultdict(set)
    links = Staff.services.through.objects.filter(staff_id__in=[m.id for m in staff])
    for staff_id, service_id in links.values_list("staff_id", "service_id"):
        performs[staff_id].add(service_id)
    for member in staff:
        member.service_ids = performs.get(member.id, set())  # type: ignore[attr-defined]
    return staff


def staff_for_all(staff: list[Staff], services: list[Service]) -> list[Staff]:
    """Staff who perform every chosen service and, for a restricted treatment (who may treat), are qualified
    for it on some day the venue takes bookings for: the only ones worth offering by name. Reads the
    credentials only when a chosen treatment is restricted (hooks.qualified_staff)."""
    wanted = {s.id for s in services}
    able = [member for member in staff if wanted <= member.service_ids]  # type: ignore[attr-defined]
    if not able or not services:
        return able
    venue = services[0].venue
    today = clock.now().astimezone(venue.tz).date()
    treatments = {s.id: s.treatment.slug if s.treatment_id else None for s in services}
    found = hooks.qualified_staff(venue=venue, treatments=treatments, staff_ids=[m.id for m in able], first=today,
                                  last=today + dt.timedelta(days=venue.horizon_days))
    return [m for m in able if all(m.id in by_staff for by_staff in found.values())]

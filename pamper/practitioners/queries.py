"""Reads for who may treat: a venue's credentials as the pure values of clinical.who_may_treat, and what an
expiring credential affects. One query for every credential of a venue, whatever the staff count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pamper.bookings.models import OCCUPYING, BookingItem
from pamper.catalog.practitioner_rules import Rule, rule_for
from pamper.clinical.who_may_treat import Credential as Pure
from pamper.clinical.who_may_treat import Credentials, qualified_days
from pamper.venues.models import Staff, Venue

from .models import Credential, Kind

EMPTY = Credentials()


def credentials_of(venue_id: int) -> dict[int, Credentials]:
    """{staff id: their credentials} at the venue (verified or not: the pure rule counts verified ones only).

    A supervision carries its supervisor's registrations, read in the same query (same venue).
    """
    rows = list(Credential.objects.filter(venue_id=venue_id).select_related("treatment")
                .order_by("staff_id", "id"))
    registrations: dict[int, list[Pure]] = {}
    for row in rows:
        if row.kind == Kind.REGISTRATION:
            registrations.setdefault(row.staff_id, []).append(_pure(row, None))
    found: dict[int, list[Pure]] = {}
    for row in rows:
        supervisor = None
        if row.kind == Kind.SUPERVISION and row.supervisor_id is not None:
            supervisor = Credentials(tuple(registrations.get(row.supervisor_id, ())))
        found.setdefault(row.staff_id, []).append(_pure(row, supervisor))
    return {staff: Credentials(tuple(items)) for staff, items in found.items()}


def _pure(row: Credential, supervisor: Credentials | None) -> Pure:
    return Pure(row.kind, row.valid_until, row.verified_at is not None, profession=row.profession, body=row.body,
                treatment=row.treatment.slug if row.treatment_id else "", supervisor=supervisor)


def rules_by_service(venue: Venue, treatments: dict[int, str | None]) -> dict[int, Rule]:
    """{service id: its rule} for the services whose treatment is restricted in the venue's country."""
    found = {sid: rule_for(slug, venue.country) for sid, slug in treatments.items()}
    return {sid: rule for sid, rule in found.items() if rule is not None}


def qualified_for(venue: Venue, rules: dict[int, Rule], staff_ids: Iterable[int], first: dt.date,
                  last: dt.date) -> dict[int, dict[int, list[tuple[dt.date, dt.date]]]]:
    """{service id: {staff id: the days first..last they may perform it}} for restricted services."""
    if not rules:
        return {}
    creds = credentials_of(venue.id)
    out: dict[int, dict[int, list[tuple[dt.date, dt.date]]]] = {}
    for service_id, rule in rules.items():
        by_staff = {s: qualified_days(rule, creds.get(s, EMPTY), first, last) for s in staff_ids}
        out[service_id] = {s: spans for s, spans in by_staff.items() if spans}
    return out


def affected_items(staff: Staff, after: dt.date) -> list[BookingItem]:
    """The staff member's future booking items (occupying the diary) of restricted treatments, from the day
    after `after` on (local days at the venue), soonest first."""
    venue = staff.venue
    start = dt.datetime.combine(after + dt.timedelta(days=1), dt.time(), tzinfo=venue.tz)
    items = (BookingItem.objects.filter(staff=staff, active=True, start__gte=start, booking__status__in=OCCUPYING)
             .select_related("booking", "booking__client", "service", "service__treatment").order_by("start"))
    return [i for i in items if i.service.treatment_id and rule_for(i.service.treatment.slug, venue.country)]


def staff_credentials(venue: Venue) -> list[tuple[Staff, list[Credential]]]:
    """Each staff member of the venue with their credential rows (for the workspace)."""
    rows = Credential.objects.filter(venue=venue).select_related("treatment", "supervisor", "verified_by")
    by_staff: dict[int, list[Credential]] = {}
    for row in rows:
        by_staff.setdefault(row.staff_id, []).append(row)
    return [(s, by_staff.get(s.id, [])) for s in Staff.objects.filter(venue=venue).order_by("position", "name")]


def verified_registrations(venue_id: int) -> dict[int, list[Credential]]:
    """{staff id: verified registrations and prescribing rights} for the venue page."""
    rows = Credential.objects.filter(venue_id=venue_id, kind__in=[Kind.REGISTRATION, Kind.PRESCRIBER],
                                     verified_at__isnull=False)
    found: dict[int, list[Credential]] = {}
    for row in rows.order_by("kind", "id"):
        found.setdefault(row.staff_id, []).append(row)
    return found

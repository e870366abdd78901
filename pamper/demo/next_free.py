"""The seed's next-free step: the first free slot of each search row of many venues, found by the bookings engine
(`nextfree.first_slots`, one schedule fetch per venue) and written in a few statements per chunk of venues.

`nextfree.refresh_venue` gives the same result venue by venue, with one UPDATE (after a read of the rows' time
zones) per treatment: at thousands of venues those writes cost about as much as finding the slots.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from pamper.bookings.nextfree import first_slots, stale_at
from pamper.search.index import local_next
from pamper.search.models import SearchRow
from pamper.venues.models import Service, ServiceKind, Venue


def refresh_next_free(venue_ids: list[int], now: dt.datetime) -> int:
    """Set `next_available` (and its local date and minute), `next_checked_at`, `next_horizon_days` and
    `next_stale_at` on every search row of these venues, as `nextfree.refresh_venue` does for each; returns how
    many rows were written.

    A row whose treatment nobody can book online (or whose venue offers nothing bookable) is checked with no slot.
    """
    services = Service.objects.select_related("venue").filter(
        venue_id__in=venue_ids, is_active=True, online_bookable=True, kind=ServiceKind.TREATMENT,
        venue__is_published=True,
    )
    by_venue: dict[int, list[Service]] = defaultdict(list)
    for service in services:
        by_venue[service.venue_id].append(service)
    found: dict[tuple[int, int], dt.datetime] = {}
    for venue_id, offered in by_venue.items():
        firsts = first_slots(offered[0].venue, {s.id: [s] for s in offered}, now)
        for service in offered:
            when, key = firsts[service.id], (venue_id, service.treatment_id)
            if when is not None and (key not in found or when < found[key]):
                found[key] = when
    return _write(venue_ids, found, now)


def _write(venue_ids: list[int], found: dict[tuple[int, int], dt.datetime], now: dt.datetime) -> int:
    """Every row of the venues checked now, with its slot or none (local date and minute in the row's own time
    zone, as SearchRowQuerySet.update writes them)."""
    ops, table = connection.ops, connection.ops.quote_name(SearchRow._meta.db_table)
    venues = Venue.objects.in_bulk(venue_ids)
    rows = SearchRow.objects.filter(venue_id__in=venue_ids).values_list("id", "venue_id", "treatment_id", "timezone")
    checked, values = ops.adapt_datetimefield_value(now), []
    for pk, venue_id, treatment_id, zone in rows:
        when, venue = found.get((venue_id, treatment_id)), venues.get(venue_id)
        day, minute = local_next(when, zone)
        stale = stale_at(venue, when) if venue else None
        values.append((ops.adapt_datetimefield_value(when), ops.adapt_datefield_value(day), minute, checked,
                       venue.horizon_days if venue else None, ops.adapt_datetimefield_value(stale), pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET next_available = %s, next_local_date = %s, next_local_minute = %s,"  # noqa: S608
            " next_checked_at = %s, next_horizon_days = %s, next_stale_at = %s WHERE id = %s", values)
    return len(values)

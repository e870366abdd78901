"""The next free slot of each offering, for search rows.

`first_slots(venue, visits, now)` finds the first start of several visits at
once. `refresh_venues(venue_ids, now)` recomputes every search row of the venues
(one per treatment each offers) from one schedule fetch per venue (the first
fortnight first, then the rest of the horizon only for offerings still without
a slot) and writes them in one executemany; `refresh_venue` does one venue.
Booking changes call `schedule_refresh` (runs after commit, through the task
`refresh_venue_next_available` here); the periodic task
`tasks.refresh_next_available` catches what time alone changes (a slot
passing, a hold expiring) and rows never computed (a rebuilt index); venue
writes (shifts, hours, services) queue a refresh through venues' venue_changed.
Each row records when it was computed (`next_checked_at`) and over how many
days, so a result with no slot says "no free time in the next N days".
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial

from django.core.cache import cache
from django.db import connection, transaction
from django_tasks import task

from pamper.lib import clock
from pamper.lib.commits import enqueue_best_effort
from pamper.search.index import local_next
from pamper.search.models import SearchRow
from pamper.venues.models import Service, ServiceKind, Venue

from . import availability as av
from .localtime import from_minute, to_minute_ceil
from .models import NextFreeCheck
from .schedule import load_schedule, spec_of

logger = logging.getLogger(__name__)

FIRST_WINDOW_DAYS = 14
DEBOUNCE_SECONDS = 2
# Every row is recomputed at least this often, whatever changed: for what only time changes besides a slot passing
# (a new day entering the horizon) and a refresh lost in a crash. A slot passing has next_stale_at; bookings and
# venue changes refresh at once. Every ten minutes kept the worker busy for a 3,000-venue demo and could never be
# kept at 200,000 venues (about 10 ms a venue).
RECHECK_MINUTES = 60
MANY_AT_ONCE = 20  # venues refreshed together by refresh_many (their rows written in one executemany)


def _windows(venue: Venue, now: dt.datetime) -> list[tuple[dt.date, dt.date]]:
    today = now.astimezone(venue.tz).date()
    last = today + dt.timedelta(days=venue.horizon_days)
    split = min(today + dt.timedelta(days=FIRST_WINDOW_DAYS - 1), last)
    windows = [(today, split)]
    if split < last:
        windows.append((split + dt.timedelta(days=1), last))
    return windows


def first_slots(venue: Venue, visits: dict[int, Sequence[Service]], now: dt.datetime) -> dict[int, dt.datetime | None]:
    """For each key, the first start where its services fit back to back (anyone), or None within the horizon."""
    found: dict[int, dt.datetime | None] = dict.fromkeys(visits)
    pending = {k: [spec_of(s) for s in v] for k, v in visits.items() if v}
    ids = {s.id for v in visits.values() for s in v}
    for first, last in _windows(venue, now):
        if not pending:
            break
        schedule = load_schedule(venue, ids, first, last, now)
        for key, start in av.first_starts(schedule, pending, first, last, to_minute_ceil(now)).items():
            if start is not None:
                found[key] = from_minute(start)
                del pending[key]
    return found


def stale_at(venue: Venue, first: dt.datetime | None) -> dt.datetime | None:
    """When a shown first free slot stops being bookable: its start less the venue's minimum notice (None: no slot,
    which only a booking or venue change, or the periodic recheck, can change)."""
    return None if first is None else first - dt.timedelta(minutes=venue.min_notice_minutes)


def refresh_venue(venue_id: int, now: dt.datetime) -> int:
    """Recompute `next_available` on the venue's search rows; returns how many rows were written."""
    return refresh_venues([venue_id], now)


def refresh_venues(venue_ids: Sequence[int], now: dt.datetime) -> int:
    """Set `next_available` (and its local date and minute), `next_checked_at`, `next_horizon_days` and
    `next_stale_at` on every search row of these venues, each row's treatment at its first free slot within the
    venue's horizon; returns how many rows were written.

    One schedule fetch per venue, then a fixed number of statements for them all (the rows' writes in one
    executemany): an UPDATE per treatment, after a read of the rows' time zones, cost about as much as finding
    the slots. A row whose treatment nobody can book online (or whose venue offers nothing bookable, or is not
    listed) is checked with no slot.
    """
    services = Service.objects.select_related("venue").filter(
        venue_id__in=venue_ids, is_active=True, online_bookable=True, kind=ServiceKind.TREATMENT,
        venue__is_published=True,
    )
    by_venue: dict[int, list[Service]] = defaultdict(list)
    for service in services:
        by_venue[service.venue_id].append(service)
    venues = {venue_id: offered[0].venue for venue_id, offered in by_venue.items()}
    found: dict[tuple[int, int], dt.datetime] = {}
    for venue_id, offered in by_venue.items():
        firsts = first_slots(venues[venue_id], {s.id: [s] for s in offered}, now)
        for service in offered:
            when, key = firsts[service.id], (venue_id, service.treatment_id)
            if when is not None and (key not in found or when < found[key]):
                found[key] = when
    if missing := [i for i in venue_ids if i not in venues]:
        venues.update(Venue.objects.in_bulk(missing))
    return _write_firsts(venue_ids, venues, found, now)


def _write_firsts(venue_ids: Sequence[int], venues: dict[int, Venue], found: dict[tuple[int, int], dt.datetime],
                  now: dt.datetime) -> int:
    """Write each row of the venues whose slot, horizon or staleness changed, or that was never computed (local
    date and minute in the row's own time zone, as SearchRowQuerySet.update writes them), and note the venues
    checked now (NextFreeCheck). Returns how many rows were written: a recheck that finds the same slots writes
    none (every rewrite is a new row version in every index of the search table)."""
    ops, table = connection.ops, connection.ops.quote_name(SearchRow._meta.db_table)
    rows = SearchRow.objects.filter(venue_id__in=venue_ids).values_list(
        "id", "venue_id", "treatment_id", "timezone", "next_available", "next_horizon_days", "next_stale_at",
        "next_checked_at")
    checked, values, listed = ops.adapt_datetimefield_value(now), [], set()
    for pk, venue_id, treatment_id, zone, was, was_horizon, was_stale, was_checked in rows:
        listed.add(venue_id)
        when, venue = found.get((venue_id, treatment_id)), venues.get(venue_id)
        stale, horizon = (stale_at(venue, when), venue.horizon_days) if venue else (None, None)
        if was_checked is not None and (was, was_horizon, was_stale) == (when, horizon, stale):
            continue
        day, minute = local_next(when, zone)
        values.append((ops.adapt_datetimefield_value(when), ops.adapt_datefield_value(day), minute, checked,
                       horizon, ops.adapt_datetimefield_value(stale), pk))
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET next_available = %s, next_local_date = %s, next_local_minute = %s,"  # noqa: S608
                " next_checked_at = %s, next_horizon_days = %s, next_stale_at = %s WHERE id = %s", values)
    # Venues with search rows only: one that has none (hidden, or offering nothing) has nothing to recheck.
    NextFreeCheck.objects.bulk_create([NextFreeCheck(venue_id=i, checked_at=now) for i in listed if i in venues],
                                      update_conflicts=True, unique_fields=["venue"], update_fields=["checked_at"])
    return len(values)


@task()
def refresh_venue_next_available(venue_id: int) -> int:
    """Recompute one venue's next free slots (queued after each booking change). Returns rows changed."""
    return refresh_venue(venue_id, clock.now())


def schedule_refresh(venue_id: int) -> None:
    """After the current transaction commits, queue a refresh of the venue's next free slots. Never raises."""
    transaction.on_commit(partial(_enqueue, venue_id), robust=True)


def venue_changed(sender: object, *, venue_id: int, **kwargs: object) -> None:
    """venues.hooks.venue_changed: refresh the venue's next free slots once the write commits."""
    schedule_refresh(venue_id)


def _enqueue(venue_id: int) -> None:
    """Queue one refresh per venue per DEBOUNCE_SECONDS, run at the end of that window.

    A burst of bookings at one venue then costs one refresh, which runs after
    all of them committed. Backends that cannot defer (the immediate one in
    tests) refresh at once, every time.
    """
    try:
        refresh = refresh_venue_next_available
        if not refresh.get_backend().supports_defer:
            refresh.enqueue(venue_id)
            return
        if not cache.add(f"bookings:next-free:{venue_id}", 1, timeout=DEBOUNCE_SECONDS):
            return  # one is already queued to run after this commit
        later = refresh.using(run_after=clock.now() + dt.timedelta(seconds=DEBOUNCE_SECONDS))
        enqueue_best_effort(later, venue_id)  # the periodic refresh catches up one lost in a database crash
    except Exception:
        logger.exception("could not queue the next-free-slot refresh of venue %s", venue_id)


def stale_venues(now: dt.datetime, limit: int) -> list[int]:
    """At most `limit` venues whose search rows need their next free slot again, most urgent first: rows never
    checked (a rebuilt index, a new offering), then shown slots that passed (or are about to), then venues
    checked longest ago (NextFreeCheck), once more than RECHECK_MINUTES ago (what time alone frees or fills).

    A shown slot is stale once it is closer than the venue's notice (`next_stale_at`), not before: rows whose slot
    was merely near (within two hours) were taken again every minute, so a demo of 3,000 venues kept the worker
    busy for its whole 40 s budget every minute and the oldest rows waited."""
    due = now - dt.timedelta(minutes=RECHECK_MINUTES)
    queries = [
        SearchRow.objects.filter(next_checked_at__isnull=True).order_by("venue_id"),
        SearchRow.objects.filter(next_stale_at__lte=now).order_by("next_stale_at"),
        NextFreeCheck.objects.filter(checked_at__lt=due).order_by("checked_at"),
    ]
    ids: list[int] = []
    for rows in queries:
        wanted = limit - len(ids)
        if wanted <= 0:
            break
        found = rows.exclude(venue_id__in=ids).values_list("venue_id", flat=True)[: wanted * 4]
        ids += list(dict.fromkeys(found))[:wanted]
    return ids


def refresh_many(venue_ids: Iterable[int], now: dt.datetime, budget_seconds: float | None = None) -> int:
    """Refresh the venues a few at a time (stopping once `budget_seconds` have gone, if given); returns rows
    written. A group that fails is done again venue by venue, so one broken venue stops nothing else."""
    written = 0
    started = time.monotonic()
    ids = list(dict.fromkeys(venue_ids))
    for i in range(0, len(ids), MANY_AT_ONCE):
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            break
        group = ids[i : i + MANY_AT_ONCE]
        try:
            with transaction.atomic():
                written += refresh_venues(group, now)
            continue
        except Exception:
            if len(group) == 1:
                logger.exception("next free slot refresh failed for venue %s", group[0])
                continue
        for venue_id in group:
            try:
                with transaction.atomic():
                    written += refresh_venue(venue_id, now)
            except Exception:  # one broken venue must not stop the sweep
                logger.exception("next free slot refresh failed for venue %s", venue_id)
    return written

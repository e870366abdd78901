"""Fetch what availability needs in a fixed number of queries, whatever the date range.

1. `load_services`: the requested services with their venue (one query).
2. `load_schedule`: opening hours, closure days, shifts, who performs what
   and each service's treatment as one UNION ALL query, then booked spans and
   time off as a second one. Who may treat (hooks.qualified_staff) then
   narrows restricted treatments to the staff qualified on each day: it reads
   nothing unless a service's treatment has a practitioner rule.

The rows become an `availability.Schedule` of plain integers and dates; the
pure function does the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db import connection, router
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from pamper.catalog.models import Treatment
from pamper.lib import walltime
from pamper.lib.prepared import fetch_all
from pamper.venues.models import Client, Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

from . import hooks
from .availability import Rules, Schedule, ServiceSpec, Weekly
from .intervals import Interval
from .localtime import LocalCalendar, days
from .models import Booking, BookingItem, Status

# Items never span more than a day (720-minute service plus two 240-minute
# buffers), so the index on (venue, busy_start) can bound the scan from below.
LONGEST_ITEM = dt.timedelta(days=1)


def rules_of(venue: Venue) -> Rules:
    return Rules(venue.timezone, venue.slot_minutes, venue.min_notice_minutes, venue.horizon_days)


def spec_of(service: Service) -> ServiceSpec:
    return ServiceSpec(service.id, service.duration_minutes, service.buffer_before, service.buffer_after,
                       service.resource_id)


def _services_queryset(venue_id: int, ids: Iterable[int], *, online: bool, customer_id: int | None,
                       treatments: bool) -> QuerySet[Service]:
    # The treatment comes along: the booking checks (pathway, who may treat) read it from the loaded services.
    # `treatments=False` (availability): the treatment rows, with their translations, are not needed.
    related = ("venue", "treatment") if treatments else ("venue",)
    rows = Service.objects.select_related(*related).filter(venue_id=venue_id, id__in=ids, is_active=True)
    if online:
        rows = rows.filter(online_bookable=True, venue__is_published=True)
    if customer_id is not None:
        mine = Client.objects.filter(venue_id=OuterRef("venue_id"), user_id=customer_id).order_by("id")
        rows = rows.annotate(known_client_id=Subquery(mine.values("id")[:1]))
    return rows


# Stand-ins for the query's values while it is compiled once per shape; far below any real id.
_VENUE, _CUSTOMER, _FIRST_ID = -(2**62), -(2**62) - 1, -(2**62) - 1000


@lru_cache(maxsize=64)
def _services_sql(alias: str, count: int, online: bool, customer: bool, treatments: bool,
                  ) -> tuple[SQLCompiler, str, tuple[object, ...]] | None:
    """The services query for `count` distinct ids compiled once: (compiler, SQL, parameters with stand-ins).

    Compiling the ORM query cost about ten times running it. None when a stand-in is not found exactly once
    among the parameters (then the ORM runs as usual).
    """
    ids = [_FIRST_ID - i for i in range(count)]
    rows = _services_queryset(_VENUE, ids, online=online, customer_id=_CUSTOMER if customer else None,
                              treatments=treatments)
    compiler = rows.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    wanted = [_VENUE, *ids] + ([_CUSTOMER] if customer else [])
    if any(list(params).count(value) != 1 for value in wanted):
        return None
    return compiler, sql, tuple(params)


def _services_rows(venue_id: int, ids: list[int], *, online: bool, customer_id: int | None,
                   treatments: bool) -> list[Service]:
    """The services query's models, as the ORM would build them, from the SQL compiled once per shape."""
    alias = router.db_for_read(Service)
    compiled = _services_sql(alias, len(ids), online, customer_id is not None, treatments)
    if compiled is None:
        return list(_services_queryset(venue_id, ids, online=online, customer_id=customer_id, treatments=treatments))
    compiler, sql, template = compiled
    values = {_VENUE: venue_id, _CUSTOMER: customer_id} | {_FIRST_ID - i: id_ for i, id_ in enumerate(ids)}
    params = [values.get(p, p) if isinstance(p, int) and not isinstance(p, bool) else p for p in template]
    fetched = fetch_all(sql, params, alias)  # prepared on PostgreSQL: planned once per connection
    # What ModelIterable does with a compiled query's rows: converters, the model, the related ones, annotations.
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    found = []
    for row in compiler.results_iter([fetched]):
        service = Service.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, service)
        for name, position in compiler.annotation_col_map.items():
            setattr(service, name, row[position])
        found.append(service)
    return found


def load_services(venue_id: int, service_ids: Sequence[int], *, online: bool = True, customer_id: int | None = None,
                  treatments: bool = True) -> tuple[Venue | None, list[Service]]:
    """The venue and the requested services (with their treatments) in the requested order (repeats allowed), in
    one query.

    Services of another venue, inactive ones, or (with `online`) ones not
    bookable online are missing from the list; the venue is None when no
    service was found. Callers compare lengths to spot unknown ids. With
    `customer_id`, the venue carries `known_client`: that person's client
    record at the venue (only its keys loaded), or None, read in the same query.
    """
    ids = sorted(set(service_ids))
    rows = _services_rows(venue_id, ids, online=online, customer_id=customer_id, treatments=treatments)
    by_id = {s.id: s for s in rows}
    found = [by_id[i] for i in service_ids if i in by_id]
    venue = found[0].venue if found else None
    if venue is not None and customer_id is not None:
        client_id = found[0].known_client_id  # type: ignore[attr-defined]
        # Only the keys are read; any other field loads on first use (and saving writes only what was loaded).
        venue.known_client = (  # type: ignore[attr-defined]
            Client.from_db(connection.alias, ["id", "venue_id", "user_id"], (client_id, venue.id, customer_id))
            if client_id is not None else None)
    return venue, found


def _minute_of_day(value: dt.time | str) -> int:
    """0-1440 (24:00: until midnight). SQLite hands back 'HH:MM[:SS]' text when the UNION loses the column type."""
    return walltime.minute_of_day(value)


def _date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@lru_cache(maxsize=64)
def _schedule_sql(vendor: str, service_count: int, weekday_count: int, one_staff: bool = False) -> str:
    """Opening hours, closures, shifts, who performs what, each service's treatment and the busy spans (`_busy_sql`),
    as one UNION ALL. `one_staff`: shifts, skills, time off and busy spans of one staff member only (a parameter
    after the venue's in each of those branches), with every busy span that holds a room or device.

    Columns: kind, staff, ref, number, time1, time2, date1, date2, name, minute1, minute2. The
    first branch casts its NULLs: PostgreSQL types a UNION's columns branch
    by branch and would otherwise read them as text. Written once per
    process: building the same query with the ORM on every request cost more
    than running it.
    """
    hours, closure, shift = (_q(m._meta.db_table) for m in (OpeningHours, Closure, Shift))
    service, treatment = _q(Service._meta.db_table), _q(Treatment._meta.db_table)
    staff, skills = _q(Staff._meta.db_table), _q(Staff.services.through._meta.db_table)
    ids = ", ".join(["%s"] * service_count)
    weekdays = ", ".join(["%s"] * weekday_count)
    minute = "CAST(NULL AS bigint)" if vendor == "postgresql" else "NULL"
    shift_of, skill_of = ("AND sh.staff_id = %s", "AND k.staff_id = %s") if one_staff else ("", "")
    # Only table names from the models and placeholders are interpolated; every value is a parameter.
    return f"""
        SELECT 1, CAST(NULL AS bigint), CAST(NULL AS bigint), h.weekday, h.opens, h.closes,
               CAST(NULL AS date), CAST(NULL AS date), CAST(NULL AS varchar(120)), {minute}, {minute}
          FROM {hours} h WHERE h.venue_id = %s AND h.weekday IN ({weekdays})
        UNION ALL
        SELECT 2, NULL, NULL, NULL, NULL, NULL, c.start_date, c.end_date, NULL, NULL, NULL
          FROM {closure} c WHERE c.venue_id = %s AND c.end_date >= %s AND c.start_date <= %s
        UNION ALL
        SELECT 3, sh.staff_id, NULL, sh.weekday, sh.start, sh.{_q("end")}, sh.valid_from, sh.valid_until, NULL, NULL,
               NULL
          FROM {shift} sh JOIN {staff} st ON st.id = sh.staff_id
         WHERE st.venue_id = %s AND st.is_active = %s {shift_of} AND sh.weekday IN ({weekdays})
           AND (sh.valid_from IS NULL OR sh.valid_from <= %s) AND (sh.valid_until IS NULL OR sh.valid_until >= %s)
        UNION ALL
        SELECT 4, k.staff_id, k.service_id, st.position, NULL, NULL, NULL, NULL, st.name, NULL, NULL
          FROM {skills} k JOIN {staff} st ON st.id = k.staff_id
         WHERE st.venue_id = %s AND st.is_active = %s {skill_of} AND k.service_id IN ({ids})
        UNION ALL
        SELECT 5, NULL, sv.id, NULL, NULL, NULL, NULL, NULL, t.slug, NULL, NULL
          FROM {service} sv JOIN {treatment} t ON t.id = sv.treatment_id
         WHERE sv.venue_id = %s AND sv.id IN ({ids})
        UNION ALL
        {_busy_sql(vendor, one_staff)}
    """  # noqa: S608


def _minute_sql(vendor: str, column: str, *, ceil: bool = False) -> str:
    """SQL for the UTC minute of a stored instant (localtime.to_minute), or the first whole minute at or after it
    (to_minute_ceil), as an integer: the database does the arithmetic, so no timestamp is parsed in Python.
    SQLite stores UTC text, 'YYYY-MM-DD HH:MM:SS' with '.ffffff' only when there are microseconds."""
    if vendor == "postgresql":
        return f"CAST({'CEIL' if ceil else 'FLOOR'}(EXTRACT(EPOCH FROM {column}) / 60) AS bigint)"
    seconds = f"CAST(strftime('%%s', {column}) AS integer)"
    return f"(({seconds} + (instr({column}, '.') > 0) + 59) / 60)" if ceil else f"({seconds} / 60)"


@lru_cache(maxsize=8)
def _busy_sql(vendor: str, one_staff: bool = False) -> str:
    """The busy branches of the schedule query, over an instant range: kind 6 active booking items (not expired
    holds; ref: the room or device), kind 7 time off, kind 8 the ids (ref) of expired holds still occupying it.
    The spans come as whole UTC minutes (`_minute_sql`). `one_staff`: that person's items and time off, and every
    item holding a room or device (another person's visit still occupies the room)."""
    item, booking = _q(BookingItem._meta.db_table), _q(Booking._meta.db_table)
    off, staff = _q(TimeOff._meta.db_table), _q(Staff._meta.db_table)
    end = _q("end")
    item_of, off_of = ("AND (i.staff_id = %s OR i.resource_id IS NOT NULL)", "AND t.staff_id = %s") if one_staff \
        else ("", "")
    return f"""
        SELECT CASE WHEN b.status = %s AND b.hold_expires_at <= %s THEN 8 ELSE 6 END, i.staff_id,
               CASE WHEN b.status = %s AND b.hold_expires_at <= %s THEN b.id ELSE i.resource_id END,
               NULL, NULL, NULL, NULL, NULL, NULL, {_minute_sql(vendor, "i.busy_start")},
               {_minute_sql(vendor, "i.busy_end", ceil=True)}
          FROM {item} i JOIN {booking} b ON b.id = i.booking_id
         WHERE i.venue_id = %s AND i.active = %s {item_of} AND i.busy_start < %s AND i.busy_end > %s
           AND i.busy_start >= %s
        UNION ALL
        SELECT 7, t.staff_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, {_minute_sql(vendor, "t.start")},
               {_minute_sql(vendor, f"t.{end}", ceil=True)}
          FROM {off} t JOIN {staff} st ON st.id = t.staff_id
         WHERE st.venue_id = %s {off_of} AND t.start < %s AND t.{end} > %s
    """  # noqa: S608


def _rows(sql: str, params: list) -> list[tuple]:
    """Run the schedule query; on PostgreSQL as a prepared statement (lib.prepared): planning its eight branches
    took three times as long as running them (0.9 ms against 0.3 ms for a day at one venue)."""
    return fetch_all(sql, params, connection.alias)


def _schedule_rows(venue: Venue, service_ids: set[int], first: dt.date, last: dt.date,
                   now: dt.datetime, staff_id: int | None = None) -> list[tuple]:
    day, at = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value
    ids = sorted(service_ids) or [0]
    # A short range needs only its own weekdays' hours and shifts (a booking reads one day).
    weekdays = sorted({d.weekday() for d in days(first, min(last, first + dt.timedelta(days=6)))})
    # Working time never crosses a local midnight, so busy spans overlapping the dates' own span are all that count.
    lo = dt.datetime.combine(first, dt.time(), tzinfo=venue.tz)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=venue.tz)
    held = Status.HELD.value
    one = [] if staff_id is None else [staff_id]  # after the venue, in the branches one staff member narrows
    params = [venue.id, *weekdays, venue.id, day(first), day(last), venue.id, True, *one, *weekdays, day(last),
              day(first), venue.id, True, *one, *ids, venue.id, *ids,
              held, at(now), held, at(now), venue.id, True, *one, at(hi), at(lo), at(lo - LONGEST_ITEM),
              venue.id, *one, at(hi), at(lo)]
    return _rows(_schedule_sql(connection.vendor, len(ids), len(weekdays), bool(one)), params)


def load_schedule(venue: Venue, service_ids: Iterable[int], first: dt.date, last: dt.date,
                  now: dt.datetime, staff_id: int | None = None) -> Schedule:
    """The venue's schedule for local dates first..last, in one query (who may treat may add reads for restricted
    treatments). `expired_holds`: ids of holds past their time whose items still occupy the range.

    `staff_id`: only what placing a visit with that person needs (their shifts, skills, time off and visits, and
    every visit holding a room or device); a busy day of twenty stylists is then a few rows, not hundreds."""
    ids = set(service_ids)
    schedule = Schedule(rules_of(venue))
    skills: dict[int, set[int]] = {}
    order: dict[int, tuple[int, int]] = {}
    treatments: dict[int, str | None] = dict.fromkeys(ids)
    rows = _schedule_rows(venue, ids, first, last, now, staff_id)
    for kind, staff, ref, number, t1, t2, d1, d2, name, start, end in rows:
        if kind >= 6:
            if kind == 8:  # an expired hold frees its slot; the writer expires it before inserting
                schedule.expired_holds.add(ref)
                continue
            span = (start, end)  # UTC minutes, worked out by the query
            (schedule.booked if kind == 6 else schedule.away).setdefault(staff, []).append(span)
            if kind == 6 and ref is not None:
                schedule.resource_booked.setdefault(ref, []).append(span)
        elif kind == 5:
            treatments[ref] = name
        elif kind == 1:
            schedule.opening.append(Weekly(number, _minute_of_day(t1), _minute_of_day(t2)))
        elif kind == 2:
            schedule.closures.append((_date(d1), _date(d2)))  # type: ignore[arg-type]
        elif kind == 3:
            schedule.shifts.setdefault(staff, []).append(
                Weekly(number, _minute_of_day(t1), _minute_of_day(t2), _date(d1), _date(d2)))
        else:
            skills.setdefault(staff, set()).add(ref)
            order[staff] = (number, staff)
            schedule.names[staff] = name
    schedule.staff = sorted(skills, key=order.__getitem__)
    schedule.performs = {s: frozenset(v) for s, v in skills.items()}
    schedule.qualified = _qualified(venue, treatments, schedule.staff, first, last)
    return schedule


def _qualified(venue: Venue, treatments: dict[int, str | None], staff: list[int], first: dt.date,
               last: dt.date) -> dict[int, dict[int, list[Interval]]]:
    """Who may perform each restricted service, as UTC spans over the local days first..last (hooks.qualified_staff)."""
    found = hooks.qualified_staff(venue=venue, treatments=treatments, staff_ids=staff, first=first, last=last)
    cal = LocalCalendar(venue.timezone)
    return {
        service: {person: [(cal.utc(a, 0), cal.utc(b + dt.timedelta(days=1), 0)) for a, b in spans]
                  for person, spans in by_staff.items()}
        for service, by_staff in found.items()
    }


def qualified_at(schedule: Schedule, staff_id: int, service_id: int, minute: int) -> bool:
    """True when the staff member may perform the service at `minute` (an unrestricted service: always)."""
    spans = schedule.qualified.get(service_id)
    return spans is None or any(a <= minute < b for a, b in spans.get(staff_id, ()))

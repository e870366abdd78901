"""Where a visit may go, and how it is written without double booking. Called by `actions` only.

`check_services` and `check_start` refuse what cannot be booked at all (a
service not offered here, a start off the grid, too soon or too far ahead).
`insert_visit` finds who does each step at the asked minute (read afresh from
the schedule), locks their diaries and writes the booking with its items;
`move_items` does the same for a booking's existing items. Both run inside
the calling action's transaction, which on SQLite is BEGIN IMMEDIATE (one
writer at a time). On PostgreSQL the exclusion constraints of migration 0002
have the last word: a racer that got there first makes our insert fail, and
we place again (another free person for "anyone") up to ATTEMPTS times, then
refuse with 409 slot_taken and the nearest free times.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib import formats
from pamper.lib.money import round_money
from pamper.venues.models import Client, Closure, Resource, Service, Staff, Venue

from . import availability as av
from .localtime import DAY, LocalCalendar, from_minute, to_minute, to_minute_ceil
from .models import MAX_SERVICES, OCCUPYING, Booking, BookingItem
from .present import iso, slot_json
from .schedule import load_schedule, qualified_at, rules_of, spec_of

logger = logging.getLogger(__name__)

ALTERNATIVES = 5
# On PostgreSQL a concurrent writer may take the staff member picked for
# "anyone" between our read and our insert; try the next free one this often.
ATTEMPTS = 6
# exclusion_violation, deadlock_detected, serialization_failure
RACE_STATES = frozenset({"23P01", "40P01", "40001"})


def check_services(venue: Venue, services: Sequence[Service], *, online: bool) -> None:
    """Refusal 422 unless 1 to MAX_SERVICES services, each active here (and bookable online when `online`)
    and priced in the venue's currency."""
    if not services:
        raise Refusal(422, "unknown_service", gettext("Choose at least one service."))
    if len(services) > MAX_SERVICES:
        raise Refusal(
            422,
            "too_many_services",
            gettext("A visit can have at most %(max_services)s services.") % {"max_services": MAX_SERVICES},
        )
    for service in services:
        if service.venue_id != venue.id or not service.is_active or (online and not service.online_bookable):
            raise Refusal(
                422,
                "unknown_service",
                gettext("%(service_name)s cannot be booked here.") % {"service_name": service.name},
                service_id=service.id,
            )
        if service.currency != venue.currency:
            raise Refusal(
                422,
                "mixed_currency",
                gettext("%(service_name)s is priced in %(service_currency)s, not %(venue_currency)s.")
                % {
                    "service_name": service.name,
                    "service_currency": service.currency,
                    "venue_currency": venue.currency,
                },
            )


def check_start(venue: Venue, start: dt.datetime, now: dt.datetime, *, online: bool) -> int:
    """The start as a UTC minute; online requests must be on the grid, after the notice and within the horizon.

    Refusal 422 invalid_start (no UTC offset), off_grid, notice (with `earliest`) or horizon.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise Refusal(
            422, "invalid_start", gettext("Give the start with its UTC offset, e.g. 2026-05-04T10:30:00+01:00.")
        )
    if start.second or start.microsecond:
        raise Refusal(422, "off_grid", gettext("A visit starts on a whole minute."))
    minute = to_minute(start)
    if not online:
        return minute
    rules = rules_of(venue)
    earliest = to_minute_ceil(now) + rules.min_notice_minutes
    if minute < earliest:
        raise Refusal(
            422,
            "notice",
            gettext("%(venue_name)s takes online bookings at least %(span)s ahead.")
            % {"venue_name": venue.name, "span": span(rules.min_notice_minutes)},
            earliest=iso(earliest, venue),
        )
    if minute >= to_minute(now) + rules.horizon_days * DAY:
        raise Refusal(
            422,
            "horizon",
            gettext("%(venue_name)s takes bookings up to %(rules_horizon_days)s days ahead.")
            % {"venue_name": venue.name, "rules_horizon_days": rules.horizon_days},
        )
    if not LocalCalendar(rules.timezone).on_grid(minute, rules.slot_minutes):
        raise Refusal(
            422,
            "off_grid",
            gettext("Visits at %(venue_name)s start every %(rules_slot_minutes)s minutes.")
            % {"venue_name": venue.name, "rules_slot_minutes": rules.slot_minutes},
        )
    return minute


def span(minutes: int) -> str:
    """'2 days', '1 hour', '45 minutes', in the active language."""
    if minutes % 1440 == 0 and minutes:
        return ngettext("%(count)s day", "%(count)s days", minutes // 1440) % {"count": minutes // 1440}
    if minutes % 60 == 0 and minutes:
        return ngettext("%(count)s hour", "%(count)s hours", minutes // 60) % {"count": minutes // 60}
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def _local_date(minute: int, venue: Venue) -> dt.date:
    return from_minute(minute).astimezone(venue.tz).date()


def _check_staff(staff_id: int | None, services: Sequence[Service], schedule: av.Schedule) -> None:
    """The staff member asked for must work here (active) and perform every service (the schedule knows)."""
    if staff_id is None:
        return
    skills = schedule.performs.get(staff_id, frozenset())
    if not all(s.id in skills for s in services):
        who = schedule.names.get(staff_id) or gettext("That staff member")
        raise Refusal(
            422,
            "unknown_staff",
            gettext("%(who)s does not perform every service chosen here.") % {"who": who},
            staff_id=staff_id,
        )


def _check_qualified(staff_id: int | None, services: Sequence[Service], start: int, schedule: av.Schedule) -> None:
    """Refusal 422 practitioner_not_qualified when the staff member asked for (or, for anyone, every staff
    member who performs it) may not perform a restricted service on the visit's day (who may treat)."""
    for service in services:
        if service.id not in schedule.qualified:
            continue
        who = [staff_id] if staff_id is not None else [s for s in schedule.staff if service.id in schedule.performs[s]]
        if not any(qualified_at(schedule, s, service.id, start) for s in who):
            name = schedule.names.get(staff_id, "") if staff_id is not None else ""
            message = (
                _("%(who)s is not qualified to perform %(service)s on that day.")
                if name
                else _("Nobody here is qualified to perform %(service)s on that day.")
            )
            raise Refusal(
                422,
                "practitioner_not_qualified",
                message % {"who": name, "service": service.name},
                service_id=service.id,
                staff_id=staff_id,
            )


def _place(
    *,
    venue: Venue,
    services: Sequence[Service],
    start: int,
    staff_id: int | None,
    now: dt.datetime,
    online: bool,
    retry: int = 0,
) -> tuple[list[av.Item], av.Schedule]:
    """Who does each step of a visit at `start` (and the schedule read), or Refusal: 422 outside_hours,
    422 unknown_staff, 409 slot_taken (with alternatives).

    On a retry after a lost race, "anyone" tries the free staff in a random
    order: racers who all lost the first choice then spread over the others
    instead of queueing for the same next person.
    """
    specs = [spec_of(s) for s in services]
    day = _local_date(start, venue)  # a visit never crosses a local midnight: working time does not
    schedule = load_schedule(venue, {s.id for s in services}, day, day, now, staff_id)
    _check_staff(staff_id, services, schedule)
    _check_qualified(staff_id, services, start, schedule)
    if retry and staff_id is None:
        random.shuffle(schedule.staff)
    items = av.assign_at(schedule, specs, start, staff_id=staff_id)
    if items is not None:
        return items, schedule
    if av.assign_at(schedule, specs, start, staff_id=staff_id, with_bookings=False) is None:
        raise not_working(venue, day)
    raise slot_taken(venue, services, start, staff_id, now, online)


def not_working(venue: Venue, day: dt.date) -> Refusal:
    """422 outside_hours: the venue is closed on that local day (said with the closure's reason, which is read only
    here, on the way out), else nobody who performs the visit works at that time."""
    closure = Closure.objects.filter(venue=venue, start_date__lte=day, end_date__gte=day).first()
    if closure is None:
        return Refusal(422, "outside_hours", gettext("Nobody who performs this works at that time."))
    words = {"venue_name": venue.name, "day": formats.day(day, "weekday"), "reason": closure.reason}
    message = (gettext("%(venue_name)s is closed on %(day)s (%(reason)s).") if closure.reason
               else gettext("%(venue_name)s is closed on %(day)s."))
    return Refusal(422, "outside_hours", message % words)


def slot_taken(
    venue: Venue, services: Sequence[Service], start: int, staff_id: int | None, now: dt.datetime, online: bool
) -> Refusal:
    """409 slot_taken with the free visits nearest to `start` (read afresh over the day before to the day after),
    none of them in the past."""
    day = _local_date(start, venue)
    first, last = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    schedule = load_schedule(venue, {s.id for s in services}, first, last, now)
    earliest = to_minute_ceil(now)
    slots = av.find_slots(
        schedule, [spec_of(s) for s in services], first, last, earliest, staff_id=staff_id, ignore_limits=not online
    )
    # The venue's own diary has no notice or horizon, but a time already gone is no alternative to offer.
    upcoming = [s for s in slots if s.start >= earliest]
    alternatives = [slot_json(s, venue) for s in av.nearest(upcoming, start, ALTERNATIVES)]
    return Refusal(
        409,
        "slot_taken",
        gettext("That time has just been taken. Here are the nearest free times."),
        alternatives=alternatives,
    )


def lost_race(exc: Exception) -> bool:
    """True for PostgreSQL refusing an overlap (exclusion violation) or breaking a lock cycle between racers.

    Two transactions inserting overlapping items at the same moment may each
    wait for the other inside the exclusion check; PostgreSQL then aborts one
    of them with a deadlock error. Both mean "someone else got there first".
    """
    state = getattr(exc.__cause__, "sqlstate", None)
    return state in RACE_STATES


def _lock_diaries(items: Sequence[av.Item]) -> None:
    """Row-lock the staff (then rooms/devices) a write will occupy, in id order (PostgreSQL; a no-op on SQLite).

    Racers for the same person then queue here instead of colliding inside
    the exclusion check, where PostgreSQL can only break their wait cycle
    with a deadlock error after deadlock_timeout. The constraint still decides.
    """
    if not connection.features.has_select_for_update:
        return  # SQLite: the IMMEDIATE transaction already admits one writer at a time
    staff = {i.staff_id for i in items}
    list(Staff.objects.select_for_update().filter(id__in=staff).order_by("id").values_list("id"))
    rooms = {i.resource_id for i in items if i.resource_id is not None}
    if rooms:
        list(Resource.objects.select_for_update().filter(id__in=rooms).order_by("id").values_list("id"))


def _item_rows(booking: Booking, items: list[av.Item], services: Sequence[Service]) -> list[BookingItem]:
    return [
        BookingItem(
            booking=booking,
            venue_id=booking.venue_id,
            service=service,
            staff_id=item.staff_id,
            resource_id=item.resource_id,
            position=position,
            start=from_minute(item.start),
            end=from_minute(item.end),
            busy_start=from_minute(item.busy_start),
            busy_end=from_minute(item.busy_end),
            price=round_money(service.price),
            currency=service.currency,
            active=booking.status in OCCUPYING,
        )
        for position, (item, service) in enumerate(zip(items, services, strict=True))
    ]


def _insert(
    *,
    venue: Venue,
    services: Sequence[Service],
    items: list[av.Item],
    client: Client,
    customer: User | None,
    status: str,
    source: str,
    notes: str,
    hold_until: dt.datetime | None,
    staff_id: int | None,
    depends_on: Booking | None,
) -> Booking:
    """Write the booking and its items in a savepoint; an overlap refused by PostgreSQL raises IntegrityError."""
    total = round_money(sum((Decimal(s.price) for s in services), Decimal(0)))
    with transaction.atomic():
        _lock_diaries(items)
        booking = Booking.objects.create(
            venue=venue,
            client=client,
            customer=customer,
            status=status,
            source=source,
            start=from_minute(items[0].start),
            end=from_minute(items[-1].end),
            total_price=total,
            currency=venue.currency,
            notes=notes,
            hold_expires_at=hold_until,
            requested_staff_id=staff_id,
            depends_on=depends_on,
        )
        booking.visit_items = BookingItem.objects.bulk_create(_item_rows(booking, items, services))
    return booking


def insert_visit(
    *,
    venue: Venue,
    services: Sequence[Service],
    minute: int,
    staff_id: int | None,
    now: dt.datetime,
    online: bool,
    expire: Callable[[Sequence[int]], Any] | None = None,
    **fields: Any,
) -> Booking:
    """Place the visit at `minute` and write it (the booking's other `fields` as given), retrying a lost race.

    `expire(ids)` is called with the expired holds still marked in the day read, before writing: their items
    would otherwise stand in the way of the insert (PostgreSQL's exclusion constraint).

    The booking carries `visit_items` and `staff_names` ({staff id: name}).
    Refusal as _place; 409 slot_taken when every attempt lost its race.
    """
    for attempt in range(ATTEMPTS):
        items, schedule = _place(
            venue=venue, services=services, start=minute, staff_id=staff_id, now=now, online=online, retry=attempt
        )
        if expire is not None and schedule.expired_holds:
            expire(sorted(schedule.expired_holds))
        try:
            booking = _insert(venue=venue, services=services, items=items, staff_id=staff_id, **fields)
            booking.staff_names = schedule.names
            return booking
        except (IntegrityError, OperationalError) as exc:
            if not lost_race(exc):
                raise
            logger.info("booking at venue %s, minute %s lost a race (attempt %s)", venue.id, minute, attempt + 1)
    raise slot_taken(venue, services, minute, staff_id, now, online)


def move_items(
    booking: Booking, services: list[Service], minute: int, staff_id: int | None, now: dt.datetime, *, online: bool
) -> None:
    """Place the booking's items at `minute` and save them, retrying a lost race; sets its start and end.

    The caller has made the old items inactive (our own old time must not
    block the move) and saves the booking. Refusal as insert_visit.
    """
    for attempt in range(ATTEMPTS):
        placed, _schedule = _place(
            venue=booking.venue,
            services=services,
            start=minute,
            staff_id=staff_id,
            now=now,
            online=online,
            retry=attempt,
        )
        try:
            with transaction.atomic():
                _lock_diaries(placed)
                for row, item in zip(booking.items.order_by("position"), placed, strict=True):
                    row.staff_id, row.resource_id = item.staff_id, item.resource_id
                    row.start, row.end = from_minute(item.start), from_minute(item.end)
                    row.busy_start, row.busy_end = from_minute(item.busy_start), from_minute(item.busy_end)
                    row.active = booking.status in OCCUPYING
                    row.save(update_fields=["staff", "resource", "start", "end", "busy_start", "busy_end", "active"])
        except (IntegrityError, OperationalError) as exc:
            if not lost_race(exc):
                raise
            continue
        booking.start, booking.end = from_minute(placed[0].start), from_minute(placed[-1].end)
        return
    raise slot_taken(booking.venue, services, minute, staff_id, now, online)

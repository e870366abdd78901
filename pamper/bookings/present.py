"""How slots and bookings look in JSON: times in ISO 8601 in the venue's local time with its offset, money as strings.

One booking shape for the customer's API and one for the venue's (partner
API), both from `booking_json`, so a field means the same on both sides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from pamper.lib.money import money_str
from pamper.venues.models import Venue

from . import availability as av
from . import hooks
from .localtime import DAY, from_minute
from .models import Booking, BookingItem


def iso(minute: int, venue: Venue) -> str:
    """A UTC minute as ISO 8601 in the venue's zone, e.g. 2026-05-04T10:30:00+01:00."""
    return from_minute(minute).astimezone(venue.tz).isoformat()


def slot_json(slot: av.Slot, venue: Venue, fmt: Callable[[int], str] | None = None) -> dict[str, Any]:
    """A slot as the API shows it, with who does each step."""
    fmt = fmt or (lambda minute: iso(minute, venue))
    return {
        "start": fmt(slot.start),
        "end": fmt(slot.end),
        "staff_id": slot.staff_id,
        "staff_ids": list(slot.staff_ids),
        "items": [
            {"service_id": i.service_id, "staff_id": i.staff_id, "start": fmt(i.start), "end": fmt(i.end)}
            for i in slot.items
        ],
    }


def slots_json(slots: list[av.Slot], venue: Venue) -> list[dict[str, Any]]:
    """Many slots; each instant is formatted once (slot ends are the next slots' starts)."""
    times = LocalTimes(venue.tz)
    return [slot_json(slot, venue, times.__getitem__) for slot in slots]


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_CLOCK = [f"T{m // 60:02d}:{m % 60:02d}:00" for m in range(DAY)]  # minute of the day -> 'T10:30:00'
_SPAN = 360  # minutes over which an unchanged offset is taken as constant: see LocalTimes


class LocalTimes(dict[int, str]):
    """UTC minute -> `iso(minute)` in one zone, computed on first lookup: `times[minute]`, for the many instants
    of one answer (a hit is a plain dict lookup).

    The text is built from the zone's UTC offset, read from zoneinfo at the edges of six-hour spans of UTC: where
    both edges agree the offset holds throughout (the tz database's closest two changes of one zone are four days
    apart). A span whose edges differ holds a change: its minutes go through zoneinfo one by one, as do offsets
    with seconds (old local mean times).
    """

    def __init__(self, zone: dt.tzinfo) -> None:
        super().__init__()
        self.zone = zone
        self._edges: dict[int, dt.timedelta | None] = {}  # span number -> the offset at its first minute
        self._spans: dict[int, tuple[int, str] | None] = {}  # span -> (offset minutes, '+01:00'), None: minute-wise
        self._dates: dict[int, str] = {}  # days since 1970-01-01 -> '2026-05-04'

    def _edge(self, span: int) -> dt.timedelta | None:
        if span not in self._edges:
            self._edges[span] = from_minute(span * _SPAN).astimezone(self.zone).utcoffset()
        return self._edges[span]

    def _span(self, span: int) -> tuple[int, str] | None:
        if span not in self._spans:
            offset = self._edge(span)
            seconds = int(offset.total_seconds()) if offset is not None else 1
            steady = offset == self._edge(span + 1) and seconds % 60 == 0
            sign, (hours, minutes) = "-" if seconds < 0 else "+", divmod(abs(seconds) // 60, 60)
            self._spans[span] = (seconds // 60, f"{sign}{hours:02d}:{minutes:02d}") if steady else None
        return self._spans[span]

    def __missing__(self, minute: int) -> str:
        found = self._span(minute // _SPAN)
        if found is None:
            text = from_minute(minute).astimezone(self.zone).isoformat()
        else:
            day, of_day = divmod(minute + found[0], DAY)
            date = self._dates.get(day)
            if date is None:
                date = self._dates[day] = dt.date.fromordinal(_EPOCH_DAY + day).isoformat()
            text = date + _CLOCK[of_day] + found[1]
        self[minute] = text
        return text


def slots_text(slots: Sequence[av.Slot], venue: Venue) -> str:
    """The slots as JSON text: exactly what json.dumps(slots_json(slots, venue)) writes, written directly.

    A month for twenty staff is a few thousand slots: building a dict per slot and encoding it cost more than
    finding the slots. Every value is an int or an ISO string (nothing to escape); the lists of free staff repeat
    from slot to slot and are written once each.
    """
    times = LocalTimes(venue.tz)
    staff_lists: dict[tuple[int, ...], str] = {}
    parts = []
    for slot in slots:
        ids = staff_lists.get(slot.staff_ids)
        if ids is None:
            ids = staff_lists[slot.staff_ids] = json.dumps(list(slot.staff_ids))
        start, end = times[slot.start], times[slot.end]
        if len(slot.items) == 1:  # one service: its times are the slot's
            i = slot.items[0]
            items = (f'{{"service_id": {i.service_id}, "staff_id": {i.staff_id}, "start": "{times[i.start]}", '
                     f'"end": "{times[i.end]}"}}')
        else:
            items = ", ".join([f'{{"service_id": {i.service_id}, "staff_id": {i.staff_id}, '
                               f'"start": "{times[i.start]}", "end": "{times[i.end]}"}}' for i in slot.items])
        parts.append(f'{{"start": "{start}", "end": "{end}", "staff_id": {slot.staff_id}, '
                     f'"staff_ids": {ids}, "items": [{items}]}}')
    return f"[{', '.join(parts)}]"


def _availability_head(venue: Venue, first: dt.date, last: dt.date, service_ids: list[int],
                       staff_id: int | None) -> dict[str, Any]:
    return {
        "venue_id": venue.id, "timezone": venue.timezone, "from": first.isoformat(), "to": last.isoformat(),
        "services": service_ids, "staff_id": staff_id, "slot_minutes": venue.slot_minutes,
    }


def availability_json(venue: Venue, first: dt.date, last: dt.date, service_ids: list[int], staff_id: int | None,
                      slots: list[av.Slot]) -> dict[str, Any]:
    """The free slots on the venue's local dates first..last, as the API's AvailabilityOut documents them."""
    return _availability_head(venue, first, last, service_ids, staff_id) | {"slots": slots_json(slots, venue)}


def availability_text(venue: Venue, first: dt.date, last: dt.date, service_ids: list[int], staff_id: int | None,
                      slots: list[av.Slot]) -> str:
    """`availability_json` as JSON text, byte for byte what json.dumps writes for it (the slots come last)."""
    head = json.dumps(_availability_head(venue, first, last, service_ids, staff_id))
    return f'{head[:-1]}, "slots": {slots_text(slots, venue)}}}'


def _local(instant: dt.datetime | None, venue: Venue) -> str | None:
    return instant.astimezone(venue.tz).isoformat() if instant else None


def _fee_hours(booking: Booking, given: int | None) -> int:
    return given if given is not None else hooks.fee_hours_of([booking]).get(booking.pk, 0)


def booking_json(booking: Booking, items: Sequence[BookingItem] | None = None, names: dict[int, str] | None = None,
                 *, for_venue: bool = False, fee_hours: int | None = None) -> dict[str, Any]:
    """A booking with its items (ordered by position) as the API shows it.

    The customer's form names the venue and says until when the booking may be
    changed online (`cancel_deadline`) and cancelled for free (`free_cancel_until`,
    later for a visit booked inside the notice window, sooner when the payment terms keep a fee from
    `fee_hours` before the start, as the booking pages say); the venue's form (`for_venue=True`, the
    partner API) names the client and the source instead. Reads the venue, the
    items with service and staff, and for the venue's form the client: load
    them with `Booking.objects.with_items()` (plus `client`). Pass `items` and
    `names` ({staff id: name}) to answer from memory right after booking
    (book_visit's `visit_items` and `staff_names`), and `fee_hours` (hooks.quote_fee_hours of the quote booked
    under, or hooks.fee_hours_of for many): left out, the customer's form reads the booking's payment terms.
    """
    venue = booking.venue
    rows = sorted(booking.items.all() if items is None else items, key=lambda i: i.position)
    staff_name = (lambda i: names.get(i.staff_id, "")) if names is not None else (lambda i: i.staff.name)
    body: dict[str, Any] = {
        "id": booking.pk, "status": booking.status,
        "start": _local(booking.start, venue), "end": _local(booking.end, venue), "timezone": venue.timezone,
        "total_price": money_str(booking.total_price, booking.currency), "currency": booking.currency,
        "notes": booking.notes,
        "cancel_reason": booking.why_cancelled, "cancel_cause": booking.cancel_cause,
        "items": [
            {"service_id": i.service_id, "service_name": i.service.name, "staff_id": i.staff_id,
             "staff_name": staff_name(i), "start": _local(i.start, venue), "end": _local(i.end, venue),
             "price": money_str(i.price, i.currency), "currency": i.currency}
            for i in rows
        ],
    }
    if for_venue:
        body |= {"venue_id": booking.venue_id, "source": booking.source, "client_id": booking.client_id,
                 "client_name": booking.client.name}
    else:
        body |= {"venue": {"id": venue.id, "name": venue.name, "slug": venue.slug, "timezone": venue.timezone},
                 "hold_expires_at": _local(booking.hold_expires_at, venue),
                 "cancel_deadline": _local(booking.change_deadline, venue),
                 "free_cancel_until": _local(booking.free_cancel_deadline(_fee_hours(booking, fee_hours)), venue)}
    return body

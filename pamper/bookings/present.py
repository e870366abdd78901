"""How slots and bookings look in JSON: times in ISO 8601 in the venue's local time with its offset, money as strings.

One booking shape for the customer's API and one for the venue's (partner
API), both from `booking_json`, so a field means the same on both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pamper.lib.money import money_str
from pamper.venues.models import Venue

from . import availability as av
from .localtime import from_minute
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
    memo: dict[int, str] = {}

    def fmt(minute: int) -> str:
        text = memo.get(minute)
        if text is None:
            text = memo[minute] = iso(minute, venue)
        return text

    return [slot_json(slot, venue, fmt) for slot in slots]


def availability_json(venue: Venue, first: dt.date, last: dt.date, service_ids: list[int], staff_id: int | None,
                      slots: list[av.Slot]) -> dict[str, Any]:
    """The free slots on the venue's local dates first..last, as the API's AvailabilityOut documents them."""
    return {
        "venue_id": venue.id, "timezone": venue.timezone, "from": first.isoformat(), "to": last.isoformat(),
        "services": service_ids, "staff_id": staff_id, "slot_minutes": venue.slot_minutes,
        "slots": slots_json(slots, venue),
    }


def _local(instant: dt.datetime | None, venue: Venue) -> str | None:
    return instant.astimezone(venue.tz).isoformat() if instant else None


def booking_json(booking: Booking, items: Sequence[BookingItem] | None = None, names: dict[int, str] | None = None,
                 *, for_venue: bool = False) -> dict[str, Any]:
    """A booking with its items (ordered by position) as the API shows it.

    The customer's form names the venue and says until when the booking may be
    changed online (`cancel_deadline`); the venue's form (`for_venue=True`, the
    partner API) names the client and the source instead. Reads the venue, the
    items with service and staff, and for the venue's form the client: load
    them with `Booking.objects.with_items()` (plus `client`). Pass `items` and
    `names` ({staff id: name}) to answer from memory right after booking
    (book_visit's `visit_items` and `staff_names`).
    """
    venue = booking.venue
    rows = sorted(booking.items.all() if items is None else items, key=lambda i: i.position)
    staff_name = (lambda i: names.get(i.staff_id, "")) if names is not None else (lambda i: i.staff.name)
    body: dict[str, Any] = {
        "id": booking.pk, "status": booking.status,
        "start": _local(booking.start, venue), "end": _local(booking.end, venue), "timezone": venue.timezone,
        "total_price": money_str(booking.total_price), "currency": booking.currency, "notes": booking.notes,
        "cancel_reason": booking.cancel_reason,
        "items": [
            {"service_id": i.service_id, "service_name": i.service.name, "staff_id": i.staff_id,
             "staff_name": staff_name(i), "start": _local(i.start, venue), "end": _local(i.end, venue),
             "price": money_str(i.price), "currency": i.currency}
            for i in rows
        ],
    }
    if for_venue:
        body |= {"venue_id": booking.venue_id, "source": booking.source, "client_id": booking.client_id,
                 "client_name": booking.client.name}
    else:
        body |= {"venue": {"id": venue.id, "name": venue.name, "slug": venue.slug, "timezone": venue.timezone},
                 "hold_expires_at": _local(booking.hold_expires_at, venue),
                 "cancel_deadline": _local(booking.change_deadline, venue)}
    return body

"""JSON forms of workspace objects for the partner API: local times with offsets, money as strings."""

from __future__ import annotations

from typing import Any

from pamper.bookings.models import Booking
from pamper.lib.money import money_str
from pamper.venues.models import Service, Shift, Staff


def booking_out(booking: Booking) -> dict[str, Any]:
    """A booking with its client and items (items must be prefetched with service and staff)."""
    tz = booking.venue.tz
    items = sorted(booking.items.all(), key=lambda i: i.position)
    return {
        "id": booking.pk, "venue_id": booking.venue_id, "status": booking.status, "source": booking.source,
        "client_id": booking.client_id, "client_name": booking.client.name,
        "start": booking.start.astimezone(tz).isoformat(), "end": booking.end.astimezone(tz).isoformat(),
        "timezone": booking.venue.timezone, "total_price": money_str(booking.total_price), "currency": booking.currency,
        "notes": booking.notes, "cancel_reason": booking.cancel_reason,
        "items": [
            {"service_id": i.service_id, "service_name": i.service.name, "staff_id": i.staff_id, "staff_name": i.staff.name,
             "start": i.start.astimezone(tz).isoformat(), "end": i.end.astimezone(tz).isoformat(),
             "price": money_str(i.price), "currency": i.currency}
            for i in items
        ],
    }


def service_out(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk, "treatment_id": service.treatment_id, "kind": service.kind, "name": service.name,
        "variant": service.variant, "description": service.description, "price": money_str(service.price),
        "currency": service.currency, "duration_minutes": service.duration_minutes, "buffer_before": service.buffer_before,
        "buffer_after": service.buffer_after, "online_bookable": service.online_bookable, "is_active": service.is_active,
        "staff_ids": sorted(s.pk for s in service.staff.all()),
    }


def staff_out(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.pk, "name": staff.name, "title": staff.title, "bio": staff.bio, "is_active": staff.is_active,
        "user_id": staff.user_id, "service_ids": sorted(s.pk for s in staff.services.all()),
    }


def shift_out(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.pk, "staff_id": shift.staff_id, "weekday": shift.weekday, "start": f"{shift.start:%H:%M}",
        "end": f"{shift.end:%H:%M}", "valid_from": shift.valid_from, "valid_until": shift.valid_until,
    }

"""JSON forms of workspace objects for the partner API: local times with offsets, money as strings.

Bookings are shaped by pamper.bookings.present.booking_json(for_venue=True), the customer API's own function.
"""

from __future__ import annotations

from typing import Any

from pamper.lib.money import money_str
from pamper.venues.models import Service, Shift, Staff


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

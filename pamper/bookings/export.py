"""Bookings' section of the person's export (accounts.hooks.register_export_section, connected in
BookingsConfig.ready): every booking made by them or on their client records, with its services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from pamper.accounts import hooks
from pamper.accounts.hooks import iso
from pamper.lib.money import money_str

from .models import Booking


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    rows = (Booking.objects.filter(Q(customer=user) | Q(client__user=user)).distinct()
            .select_related("venue").prefetch_related("items__service", "items__staff").order_by("start", "pk"))
    return hooks.ExportPart([
        {"id": b.pk, "venue": b.venue.name, "status": b.status, "source": b.source, "start": iso(b.start),
         "end": iso(b.end), "total_price": money_str(b.total_price, b.currency), "currency": b.currency,
         "notes": b.notes,
         "services": [{"service": i.service.name, "with": i.staff.name, "start": iso(i.start), "end": iso(i.end),
                       "price": money_str(i.price, i.currency)} for i in b.items.all()],
         "booked_at": iso(b.created_at), "cancelled_at": iso(b.cancelled_at),
         "why_cancelled": b.why_cancelled or None}
        for b in rows
    ])


def register() -> None:
    hooks.register_export_section(
        "bookings", section, covers=("bookings.Booking", "bookings.BookingItem"),
        leaves_out=(hooks.left_out(
            "bookings.IdempotencyRecord",
            "A copy of the answer to a booking request, kept a day so a retried request is not booked "
            "twice; the booking itself is exported."),),
    )

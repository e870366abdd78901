"""The waitlist's section of the person's export (accounts.hooks.register_export_section, connected in
WaitlistConfig.ready): the places they asked to be told about, and the times offered them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import Entry


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    entries = (Entry.objects.filter(customer=user).select_related("venue", "service", "staff")
               .prefetch_related("offers").order_by("created_at", "pk"))
    return hooks.ExportPart([
        {"venue": e.venue.name, "service": e.service.name, "with": e.staff.name if e.staff else None,
         "first_day": e.first_day.isoformat(), "last_day": e.last_day.isoformat(), "part_of_day": e.part_of_day,
         "status": e.status, "asked_at": iso(e.created_at),
         "offers": [{"start": iso(o.start), "expires_at": iso(o.expires_at), "status": o.status,
                     "booking_id": o.booking_id} for o in sorted(e.offers.all(), key=lambda o: o.pk)]}
        for e in entries
    ])


def register() -> None:
    hooks.register_export_section("waitlist", section, covers=("waitlist.Entry", "waitlist.Offer"))

"""Venues' section of the person's export (accounts.hooks.register_export_section, connected in VenuesConfig.ready):
their client record at each venue, favourite venues, and, for someone who works at a venue, their staff profiles
and the safety changes they recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import AuditEntry, Client, Favourite, Staff


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    clients = Client.objects.filter(user=user).select_related("venue").order_by("created_at", "pk")
    staff = Staff.objects.filter(user=user).select_related("venue").order_by("pk")
    changes = AuditEntry.objects.filter(actor=user).select_related("venue").order_by("at", "pk")
    return hooks.ExportPart({
        "client_records": [{"venue": c.venue.name, "name": c.name, "email": c.email, "phone": c.phone,
                            "notes": c.notes, "since": iso(c.created_at)} for c in clients],
        "favourites": [{"venue": f.venue.name, "since": iso(f.created_at)}
                       for f in Favourite.objects.filter(user=user).select_related("venue")],
        "staff_profiles": [{"venue": s.venue.name, "name": s.name, "title": s.title, "bio": s.bio,
                            "active": s.is_active} for s in staff],
        "changes_recorded": [{"venue": a.venue.name, "role": a.actor_role, "action": a.action,
                              "object": a.object_type, "changes": a.changes, "reason": a.reason, "at": iso(a.at)}
                             for a in changes],
    })


def register() -> None:
    hooks.register_export_section(
        "venues", section, covers=("venues.Client", "venues.Favourite", "venues.Staff", "venues.AuditEntry"),
        leaves_out=(hooks.left_out(
            "venues.Venue",
            "A venue's own contact address and details: the business's, not a person's; the people "
            "who run it read them in the workspace."),),
    )

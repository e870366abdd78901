"""Notifications' section of the person's export (accounts.hooks.register_export_section, connected in
NotificationsConfig.ready): their email settings, calendar feeds (never the secret address: only its first
characters) and the emails Pamper wrote to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import CalendarFeed, Message, Preference

SETTINGS = ("booking_updates", "reminders", "patch_test_reminders", "checkins", "review_requests", "venue_bookings")



def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    chosen = Preference.objects.filter(user=user).first()
    feeds = CalendarFeed.objects.filter(user=user).select_related("staff__venue").order_by("created_at", "pk")
    mail = Message.objects.filter(Q(user=user) | Q(recipient__iexact=user.email)).order_by("created_at", "pk")
    return hooks.ExportPart({
        "email_settings": {name: getattr(chosen, name) if chosen else Preference._meta.get_field(name).default
                           for name in SETTINGS} | {"chosen": chosen is not None},
        "calendar_feeds": [{"scope": f.scope, "venue": f.staff.venue.name if f.staff else None, "starts": f.prefix,
                            "created": iso(f.created_at), "revoked": iso(f.revoked_at),
                            "last_fetched": iso(f.last_fetched_at)} for f in feeds],
        "emails": [{"kind": m.kind, "to": m.recipient, "subject": m.subject, "booking_id": m.booking_id,
                    "status": m.status, "due_at": iso(m.due_at), "sent_at": iso(m.sent_at)} for m in mail],
    })


def register() -> None:
    hooks.register_export_section(
        "notifications", section,
        covers=("notifications.Preference", "notifications.CalendarFeed", "notifications.Message"),
        leaves_out=(hooks.left_out(
            "notifications.BookingCalendar",
            "Only the version number of a booking's calendar entry; the booking itself is exported."),),
    )

"""What the clinical actions share: who may change records, text limits, clinical times, booking announcements."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings import hooks as booking_hooks
from pamper.clinical import access, timing
from pamper.errors import Refusal
from pamper.venues.models import Venue

MAX_NOTE = 4000


def notify(booking_id: int, kind: str) -> None:
    """Announce a clinical event on the booking (bookings.hooks.booking_changed); notifications mails after
    commit and never lets mail trouble fail a clinical write."""
    booking_hooks.announce(booking_id, kind)


def check_time(value: dt.datetime, *, field: str, label: str, window: timing.Window, now: dt.datetime,
               venue: Venue, late_reason: str) -> str:
    """timing.check_event_time; the late-entry reason to log ("" when the entry is not late)."""
    late = timing.check_event_time(value, field=field, label=label, window=window, now=now, venue=venue,
                                   late_reason=late_reason)
    return " ".join(late_reason.split()) if late else ""


def require_clinical(user: User, venue: Venue) -> str:
    """The user's clinical role at the venue; Refusal 403 for anyone without one."""
    role = access.clinical_role(user, venue.pk)
    if role is None:
        raise Refusal(403, "forbidden",
                      gettext("Only the venue's owner, managers and practitioners can change clinical records."))
    return role


def clean_text(value: str | None, what: str, limit: int = MAX_NOTE) -> str:
    """The text stripped; Refusal 422 too_long past `limit` characters."""
    text = (value or "").strip()
    if len(text) > limit:
        raise Refusal(
            422,
            "too_long",
            gettext("The %(what)s may be at most %(limit)s characters.") % {"what": what, "limit": limit},
        )
    return text

"""When a clinical event may be recorded as having happened: inside what it records, and never in the future.

Every time a member of staff or an API client gives for a clinical event
(a patch test applied or read, a session performed, a photo taken) goes
through check_event_time() against the window of what it belongs to: the
booking it records (from its start), or, without a booking, the client's
record at the venue (from when the venue first knew the person). Nothing lies
past now (give or take a few minutes of clock drift between devices).

An entry made more than LATE_AFTER after the event is a late entry: allowed
with the real event time and a reason, which log_late_entry() writes to the
venue's audit log (entered_at is now, event_at the time given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib.clock import format_local
from pamper.venues.models import AuditEntry, Client, Venue

CLOCK_SKEW = dt.timedelta(minutes=5)
LATE_AFTER = dt.timedelta(hours=24)
MIN_REASON = 5


@dataclass(frozen=True)
class Window:
    """The span an event time must fall in: from `start` (what it records began) to `end`, both inclusive."""

    start: dt.datetime
    end: dt.datetime
    what: str  # which span, a code: "booking", "consultation", "record" or "after_applied" (named by _outside)


def booking_window(start: dt.datetime, end: dt.datetime | None, now: dt.datetime, what: str) -> Window:
    """From the booking's start to its end (None: open) or now, whichever comes first. `what`: "booking" or
    "consultation"."""
    latest = now + CLOCK_SKEW if end is None else min(end, now + CLOCK_SKEW)
    return Window(start=start, end=latest, what=what)


def client_window(client: Client, now: dt.datetime) -> Window:
    """From when the venue's record of the person began to now.

    An online customer's record begins at their first contact with the venue,
    after their account existed; a walk-in's when the desk entered them.
    """
    return Window(start=client.created_at, end=now + CLOCK_SKEW, what="record")


def after_applied_window(applied_at: dt.datetime, now: dt.datetime) -> Window:
    """From when a patch test was applied to now: when it may be read."""
    return Window(start=applied_at, end=now + CLOCK_SKEW, what="after_applied")


def _outside(window: Window, label: str, tz: Any) -> str:
    """The refusal of a time outside `window`, one whole sentence per kind of window (never a phrase spliced in)."""
    values = {"label": label, "start": format_local(window.start, tz), "end": format_local(window.end, tz)}
    if window.what == "booking":
        return gettext("%(label)s must fall inside the booking: between %(start)s and %(end)s.") % values
    if window.what == "consultation":
        return gettext("%(label)s must fall inside the consultation booking: between %(start)s and %(end)s.") % values
    if window.what == "after_applied":
        return gettext("%(label)s must come after the test was applied: between %(start)s and %(end)s.") % values
    return gettext("%(label)s must fall inside the client's record at the venue: between %(start)s and "
                   "%(end)s.") % values


def check_event_time(value: dt.datetime, *, field: str, label: str, window: Window, now: dt.datetime, venue: Venue,
                     late_reason: str | None = "") -> bool:
    """Refuse an event time outside `window` or in the future; True when it is a late entry (reason checked).

    Raises Refusal 422 with `field` in the body: time_zone_required (a naive
    time), time_in_future, time_out_of_range (before what it records, or past
    its end), late_reason_required (more than LATE_AFTER ago, no reason).
    `late_reason=None` skips the lateness test, for a time that is not the
    entry's own event (when a patch test was applied, for its reading).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise Refusal(
            422,
            "time_zone_required",
            gettext("%(label)s: give the time with its zone offset.") % {"label": label},
            field=field,
        )
    tz = venue.tz
    if value > now + CLOCK_SKEW:
        raise Refusal(
            422, "time_in_future", gettext("%(label)s cannot be in the future.") % {"label": label}, field=field
        )
    if not window.start <= value <= window.end:
        raise Refusal(
            422,
            "time_out_of_range",
            _outside(window, label, tz),
            field=field,
            earliest=window.start.isoformat(),
            latest=window.end.isoformat(),
        )
    if late_reason is None or value >= now - LATE_AFTER:
        return False
    if len(" ".join((late_reason or "").split())) < MIN_REASON:
        raise Refusal(
            422,
            "late_reason_required",
            gettext(
                "%(label)s is more than %(late_after_days___24)s hours ago: keep the real time and say why it is "
                "entered late."
            )
            % {"label": label, "late_after_days___24": LATE_AFTER.days * 24},
            field="late_reason",
            about=field,
        )
    return True


def log_late_entry(
    *,
    venue: Venue,
    by: User,
    role: str,
    record_type: str,
    record_id: int,
    field: str,
    event_at: dt.datetime,
    reason: str,
    now: dt.datetime,
) -> AuditEntry:
    """The audit row for a late clinical entry: who entered what, for when, at what time, and why."""
    return AuditEntry.objects.create(
        venue=venue,
        actor=by,
        actor_role=role,
        action="late_entry",
        object_type=record_type,
        object_id=record_id,
        changes={"field": field, "event_at": event_at.isoformat(), "entered_at": now.isoformat()},
        reason=" ".join(reason.split())[:2000],
        at=now,
    )

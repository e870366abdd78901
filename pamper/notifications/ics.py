"""iCalendar files: the invitation attached to emails and the subscription feeds.

Every event has a UID that never changes for its booking, so a calendar
application updates the same entry when a booking moves (higher SEQUENCE) and
removes it on METHOD:CANCEL. Start and end are written in UTC ("...Z"): every
calendar application reads them as the same instant and shows them in its
reader's zone. A TZID with a VTIMEZONE cannot say every instant: a local time
in the hour repeated when the clocks go back means its first pass (RFC 5545),
and the VTIMEZONE icalendar writes puts the spring change an hour late. The
venue's own clock is named in words instead: an entry given its venue's `zone`
opens its description with the visit in that zone ('Tue 5 May, 10:00–10:45
BST'), for a reader whose calendar runs on another clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

from pamper.lib.formats import span_when

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//Pamper//Bookings//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """What one VEVENT says; built by the caller from what the subscriber may see."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    sequence: int = 0
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    zone: str = ""  # the venue's time zone: the description opens with the visit on its clock


def uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "pamper.localhost"


def booking_uid(booking_id: int, part: str = "") -> str:
    """Stable UID for a booking (or one staff member's part of it)."""
    suffix = f"-{part}" if part else ""
    return f"booking-{booking_id}{suffix}@{uid_host()}"


def _event(entry: CalendarEntry, stamp: dt.datetime) -> Event:
    from icalendar import Event  # noqa: PLC0415 - on first use: a web process that sends no invitation skips it

    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", entry.start.astimezone(dt.UTC))
    event.add("dtend", entry.end.astimezone(dt.UTC))
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    event.add("status", entry.status)
    if entry.location:
        event.add("location", entry.location)
    lines = [span_when(entry.start, entry.end, entry.zone)] if entry.zone else []
    if entry.description:
        lines.append(entry.description)
    if lines:
        event.add("description", "\n\n".join(lines))
    if entry.url:
        event.add("url", entry.url)
    return event


def _calendar(entries: Iterable[CalendarEntry], stamp: dt.datetime, *, method: str | None, name: str = "") -> Calendar:
    from icalendar import Calendar  # noqa: PLC0415 - on first use, as in _event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for entry in entries:
        cal.add_component(_event(entry, stamp))
    return cal


def invitation(entry: CalendarEntry, *, organizer: tuple[str, str], attendee: tuple[str, str], cancel: bool,
               stamp: dt.datetime) -> bytes:
    """An iTIP REQUEST (new or changed) or CANCEL for one booking, as bytes.

    organizer/attendee are (name, email). A CANCEL keeps the UID and carries a
    SEQUENCE higher than any REQUEST sent before it (the caller's job).
    """
    if cancel:
        entry = CalendarEntry(**{**entry.__dict__, "status": "CANCELLED"})
    cal = _calendar([entry], stamp, method="CANCEL" if cancel else "REQUEST")
    event = cal.walk("VEVENT")[0]
    event.add("organizer", f"mailto:{organizer[1]}", parameters={"CN": organizer[0]})
    event.add(
        "attendee", f"mailto:{attendee[1]}",
        parameters={"CN": attendee[0] or attendee[1], "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED"},
    )
    return cal.to_ical()


def feed(entries: Iterable[CalendarEntry], *, name: str, stamp: dt.datetime) -> bytes:
    """A subscription feed (no METHOD): the current state of every entry listed."""
    cal = _calendar(entries, stamp, method=None, name=name)
    cal.add("x-published-ttl", "PT15M")
    cal.add("refresh-interval", dt.timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    return cal.to_ical()


def single(entry: CalendarEntry, *, stamp: dt.datetime) -> bytes:
    """One event to add to a calendar by hand (METHOD:PUBLISH), as bytes."""
    return _calendar([entry], stamp, method="PUBLISH").to_ical()

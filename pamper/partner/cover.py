"""Ask before a change that leaves upcoming bookings without cover, as salon software does before a team member
with appointments is removed: removing a shift, switching a staff member off, taking a service from a staff member
(or a staff member off a service), switching a service off or deleting it, closing the venue on days with bookings,
giving a staff member time off over their bookings, or taking away opening hours that bookings fall in.

The change is refused (409 bookings_uncovered) with the bookings listed (when, client, service, staff) until the
owner confirms it; it then goes ahead and the bookings stay as they are, the owner told again which ones to move
or cancel. Pages confirm the bookings they showed (their ids, so a booking made meanwhile is asked about again);
the partner API sends `confirm=true`. The bookings are read by `bookings.uncovered`; the change itself is written
by the venues actions, unchanged.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import ngettext

from pamper.bookings import uncovered
from pamper.bookings.models import BookingItem
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.clock import format_local
from pamper.venues.models import Service, Shift, Staff, Venue

LISTED = 10  # in a refusal's message; the pages and the API's `bookings` give them all


@dataclass(frozen=True)
class Uncovered:
    """The bookings a change would leave without cover, with what the change does to them (`headline`)."""

    headline: str
    items: list[BookingItem]
    tz: zoneinfo.ZoneInfo

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One per booking: id, start (ISO, local offset), when (local, for people), client, service, staff."""
        return [{"id": i.booking_id, "start": i.start.astimezone(self.tz).isoformat(),
                 "when": format_local(i.start, self.tz), "client": i.booking.client.name, "service": i.service.name,
                 "staff": i.staff.name} for i in self.items]

    @property
    def ids(self) -> str:
        """The bookings' ids as a page confirms them: '12,15'."""
        return ",".join(str(i.booking_id) for i in self.items)

    def confirmed_by(self, answer: str | None) -> bool:
        """True when a page's `confirm` answer names every booking concerned (ids shown when it asked)."""
        given = {part.strip() for part in (answer or "").split(",")}
        return {str(i.booking_id) for i in self.items} <= given

    def listing(self) -> str:
        """'Tue 5 May 2026, 10:00, Clara Rose; ...', the first LISTED, then how many more."""
        shown = "; ".join(f"{row['when']}, {row['client']}" for row in self.rows[:LISTED])
        more = len(self.items) - LISTED
        if more > 0:
            shown += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more}
        return shown

    @property
    def advice(self) -> str:
        return ngettext("It stays booked as it is: move or cancel it from the calendar, or confirm the change to go "
                        "ahead.", "They stay booked as they are: move or cancel them from the calendar, or confirm the "
                        "change to go ahead.", len(self.items))

    def refusal(self) -> Refusal:
        """409 bookings_uncovered: the headline, the bookings and the advice; `bookings` for a program to read."""
        return Refusal(409, "bookings_uncovered", f"{self.headline} {self.listing()}. {self.advice}",
                       bookings=[{k: v for k, v in row.items() if k != "when"} for row in self.rows])

    def kept(self) -> str:
        """After a confirmed change: which bookings stay, to move or cancel."""
        return ngettext(
            "This upcoming booking stays as it was, for you to move or cancel from the calendar: %(bookings)s.",
            "These %(count)s upcoming bookings stay as they were, for you to move or cancel from the calendar: "
            "%(bookings)s.", len(self.items)) % {"count": len(self.items), "bookings": self.listing()}


def _found(headline: str, items: list[BookingItem], tz: zoneinfo.ZoneInfo) -> Uncovered | None:
    return Uncovered(headline, items, tz) if items else None


def shift_removal(shift: Shift, now: dt.datetime | None = None) -> Uncovered | None:
    """The bookings that removing `shift` leaves outside every shift of its staff member; None when none."""
    items = uncovered.outside_shifts(shift, now or clock.now())
    staff = Staff.objects.select_related("venue").get(pk=shift.staff_id)
    count = len(items)
    headline = ngettext(
        "Removing this shift leaves %(count)s upcoming booking outside %(staff)s's shifts:",
        "Removing this shift leaves %(count)s upcoming bookings outside %(staff)s's shifts:", count,
    ) % {"count": count, "staff": staff.name}
    return _found(headline, items, staff.venue.tz)


def staff_change(staff: Staff, *, active: bool, service_ids: Collection[int] | None,
                 now: dt.datetime | None = None) -> Uncovered | None:
    """The bookings left without their practitioner when `staff` (as stored) is switched off (`active` False) or
    stops doing some services (`service_ids`: what they will do; None: unchanged); None when none."""
    now = now or clock.now()
    stored = Staff.objects.select_related("venue").get(pk=staff.pk)
    if stored.is_active and not active:
        items = uncovered.of_staff(stored, now)
        count = len(items)
        headline = ngettext("Switching %(staff)s off leaves %(count)s upcoming booking without its practitioner:",
                            "Switching %(staff)s off leaves %(count)s upcoming bookings without their practitioner:",
                            count) % {"count": count, "staff": stored.name}
        return _found(headline, items, stored.venue.tz)
    if service_ids is None:
        return None
    dropped = set(stored.services.values_list("pk", flat=True)) - set(service_ids)
    items = uncovered.of_staff(stored, now, dropped) if dropped else []
    count = len(items)
    headline = ngettext(
        "%(staff)s would no longer do the service of %(count)s upcoming booking:",
        "%(staff)s would no longer do the services of %(count)s upcoming bookings:", count,
    ) % {"count": count, "staff": stored.name}
    return _found(headline, items, stored.venue.tz)


def service_change(service: Service, *, active: bool, staff_ids: Collection[int] | None,
                   now: dt.datetime | None = None) -> Uncovered | None:
    """The bookings left behind when `service` (as stored) is switched off or deleted (`active` False) or some of
    its staff stop doing it (`staff_ids`: who will; None: unchanged); None when none."""
    now = now or clock.now()
    stored = Service.objects.select_related("venue").get(pk=service.pk)
    if stored.is_active and not active:
        items = uncovered.of_service(stored, now)
        count = len(items)
        headline = ngettext(
            "“%(service)s” has %(count)s upcoming booking, which switching it off leaves as it is:",
            "“%(service)s” has %(count)s upcoming bookings, which switching it off leaves as they are:", count,
        ) % {"count": count, "service": stored.name}
        return _found(headline, items, stored.venue.tz)
    if staff_ids is None:
        return None
    dropped = set(stored.staff.values_list("pk", flat=True)) - set(staff_ids)
    items = uncovered.of_service(stored, now, dropped) if dropped else []
    count = len(items)
    headline = ngettext(
        "Taking staff off “%(service)s” leaves %(count)s upcoming booking without its practitioner:",
        "Taking staff off “%(service)s” leaves %(count)s upcoming bookings without their practitioner:", count,
    ) % {"count": count, "service": stored.name}
    return _found(headline, items, stored.venue.tz)


def closure(venue: Venue, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> Uncovered | None:
    """The bookings on the local days first..last that closing the venue would leave as they are; None when none."""
    items = uncovered.on_days(venue, first, last, now or clock.now())
    count = len(items)
    headline = ngettext("Closing on those days leaves %(count)s upcoming booking on a day the venue is closed:",
                        "Closing on those days leaves %(count)s upcoming bookings on days the venue is closed:",
                        count) % {"count": count}
    return _found(headline, items, venue.tz)


def time_off(staff: Staff, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None) -> Uncovered | None:
    """The staff member's bookings between start and end, which time off then would leave as they are."""
    if end <= start:
        return None  # refused by the action, with its own message
    items = uncovered.during(staff, start, end, now or clock.now())
    count = len(items)
    headline = ngettext("%(staff)s has %(count)s upcoming booking in that time off:",
                        "%(staff)s has %(count)s upcoming bookings in that time off:", count,
                        ) % {"count": count, "staff": staff.name}
    return _found(headline, items, staff.venue.tz)


def hours_change(venue: Venue, hours: Sequence[tuple[int, dt.time, dt.time]],
                 now: dt.datetime | None = None) -> Uncovered | None:
    """The bookings the weekly opening `hours` (what they will be) newly leave outside the venue's hours."""
    items = uncovered.outside_hours(venue, hours, now or clock.now())
    count = len(items)
    headline = ngettext("Without those hours, %(count)s upcoming booking falls outside the opening hours:",
                        "Without those hours, %(count)s upcoming bookings fall outside the opening hours:",
                        count) % {"count": count}
    return _found(headline, items, venue.tz)

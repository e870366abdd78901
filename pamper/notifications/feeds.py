"""Private calendar feeds: what a subscriber's calendar application sees.

A feed is the current state, fetched again and again: moved bookings show
their new time (same UID, higher SEQUENCE), cancelled ones are simply no
longer listed. A feed carries only what its owner may see: the customer's own
bookings; a staff member's own appointments as "Booking: <service>" with no
client name at all.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext

from pamper.accounts.models import Membership
from pamper.bookings.models import Booking, BookingItem
from pamper.bookings.models import Status as BookingStatus
from pamper.lib.languages import message_language
from pamper.notifications import ics
from pamper.notifications.emails import site_link
from pamper.notifications.models import BookingCalendar, CalendarFeed, hash_feed_token

PAST = dt.timedelta(days=90)
FUTURE = dt.timedelta(days=400)
LIMIT = 2000
LISTED = (BookingStatus.PENDING, BookingStatus.AWAITING_PATCH_TEST, BookingStatus.CONFIRMED, BookingStatus.ATTENDED)
FIRM = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED)


def find_feed(raw_token: str) -> CalendarFeed | None:
    """The active feed for a raw URL token, or None (unknown, revoked, or owner deactivated)."""
    if not raw_token or len(raw_token) > 100:
        return None
    feed = CalendarFeed.objects.active().select_related("user",
                                                        "staff__venue").filter(token_hash=hash_feed_token(raw_token)).first()
    if feed is not None and feed.scope == CalendarFeed.Scope.STAFF:
        # A diary feed dies with the link between the account and the staff profile, and with the account's
        # membership of the venue (however that ended: leaving revokes the feed too, this covers any other path).
        staff = feed.staff
        if staff is None or staff.user_id != feed.user_id or not staff.is_active:
            return None
        if not Membership.objects.filter(user_id=feed.user_id, venue_id=staff.venue_id).exists():
            return None
    return feed


def _sequences(booking_ids: list[int]) -> dict[int, int]:
    return dict(BookingCalendar.objects.filter(booking_id__in=booking_ids).values_list("booking_id", "sequence"))


def _status(booking_status: str) -> str:
    return "CONFIRMED" if booking_status in FIRM else "TENTATIVE"


def customer_entries(user_id: int, now: dt.datetime) -> list[ics.CalendarEntry]:
    """The customer's own bookings around now, with venue and services."""
    bookings = list(
        Booking.objects.filter(customer_id=user_id, status__in=LISTED, start__gte=now - PAST, start__lte=now + FUTURE)
        .select_related("venue")
        .prefetch_related("items__service")
        .order_by("start")[:LIMIT]
    )
    sequences = _sequences([b.pk for b in bookings])
    return [_customer_entry(b, sequences.get(b.pk, 0)) for b in bookings]


def _customer_entry(b: Booking, sequence: int) -> ics.CalendarEntry:
    venue = b.venue
    services = ", ".join(i.service.name for i in b.items.all()) or gettext("Appointment")
    return ics.CalendarEntry(
        uid=ics.booking_uid(b.pk), start=b.start, end=b.end,
        summary=gettext("%(services)s at %(venue)s") % {"services": services, "venue": venue.name},
        sequence=sequence,
        location=", ".join(p for p in [venue.name, venue.address, venue.city, venue.postcode] if p),
        url=site_link("bookings:detail", [b.pk], "/bookings/"), status=_status(b.status), zone=venue.timezone,
    )


def booking_file(user_id: int, booking_id: int, now: dt.datetime) -> bytes | None:
    """One of the customer's bookings as a calendar file ("Add to calendar"): the same event, UID and sequence as
    their emails and feed, so calendars update one entry. None when it is not theirs or not in a diary."""
    booking = (Booking.objects.filter(pk=booking_id, customer_id=user_id, status__in=LISTED)
               .select_related("venue").prefetch_related("items__service").first())
    if booking is None:
        return None
    return ics.single(_customer_entry(booking, _sequences([booking.pk]).get(booking.pk, 0)), stamp=now)


def staff_entries(staff_id: int, now: dt.datetime) -> list[ics.CalendarEntry]:
    """One staff member's own appointments: service name only, never the client."""
    items = list(
        BookingItem.objects.filter(
            staff_id=staff_id, booking__status__in=LISTED, start__gte=now - PAST, start__lte=now + FUTURE
        )
        .select_related("service", "booking", "venue", "resource")
        .order_by("start")[:LIMIT]
    )
    sequences = _sequences([i.booking_id for i in items])
    return [
        ics.CalendarEntry(
            uid=ics.booking_uid(i.booking_id, f"{i.position}"), start=i.start, end=i.end,
            summary=gettext("Booking: %(service)s") % {"service": i.service.name},
            sequence=sequences.get(i.booking_id, 0),
            location=i.resource.name if i.resource else i.venue.name, status=_status(i.booking.status),
            zone=i.venue.timezone,
        )
        for i in items
    ]


def render_feed(feed: CalendarFeed, now: dt.datetime) -> bytes:
    """The .ics body of a feed, in its owner's language (their account's, else English)."""
    with translation.override(message_language(feed.user.language if feed.user_id else None)):
        if feed.scope == CalendarFeed.Scope.STAFF and feed.staff is not None:
            name = gettext("Pamper: %(venue)s diary") % {"venue": feed.staff.venue.name}
            return ics.feed(staff_entries(feed.staff_id, now), name=name, stamp=now)
        return ics.feed(customer_entries(feed.user_id, now), name=gettext("Pamper bookings"), stamp=now)

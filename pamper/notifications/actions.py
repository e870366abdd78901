"""Writes of the notifications app: which messages a booking event or a sweep plans, and feeds.

Planning only inserts send records (deduplicated by their unique key);
`outbox.deliver` sends them. Every function here is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from pamper.accounts.models import ADMIN_ROLES, Membership
from pamper.bookings.models import Booking, Source
from pamper.bookings.models import Status as BookingStatus
from pamper.notifications import outbox
from pamper.notifications.models import REMINDER_KINDS, BookingCalendar, CalendarFeed, Kind, Message, Preference
from pamper.notifications.models import Status as MessageStatus
from pamper.notifications.outbox import Plan
from pamper.venues.models import ServiceKind, Staff, Venue

logger = logging.getLogger(__name__)

CHECKIN_AFTER = dt.timedelta(days=2)
REVIEW_AFTER = dt.timedelta(hours=2)
REVIEW_WINDOW = dt.timedelta(days=7)
PLAN_BATCH = 500
MISSED_GRACE = dt.timedelta(minutes=2)  # the event task's head start
MISSED_WINDOW = dt.timedelta(days=1)


# Recipients ---------------------------------------------------------------

def customer_recipient(booking: Booking) -> tuple[str, int | None] | None:
    """(email, user id whose preferences apply) of the person booked, or None without an address."""
    user = booking.customer or booking.client.user
    email = (user.email if user else "") or booking.client.email
    return (email, user.pk if user else None) if email else None


def venue_recipients(venue: Venue) -> list[tuple[str, int | None]]:
    """The venue's own address and its owners' and managers' accounts, each address once."""
    found: dict[str, int | None] = {}
    members = Membership.objects.filter(venue=venue, role__in=ADMIN_ROLES, user__is_active=True).select_related("user")
    for member in members.order_by("pk"):
        found.setdefault(member.user.email.lower(), member.user_id)
    if venue.email:
        found.setdefault(venue.email.lower(), None)
    return list(found.items())


def _for_customer(booking: Booking, kind: str, **extra: Any) -> list[Plan]:
    found = customer_recipient(booking)
    if found is None:
        return []
    return [Plan(booking_id=booking.pk, kind=kind, recipient=found[0], user_id=found[1], **extra)]


def _for_venue(booking: Booking, kind: str, **extra: Any) -> list[Plan]:
    return [
        Plan(booking_id=booking.pk, kind=kind, recipient=email, user_id=user_id, **extra)
        for email, user_id in venue_recipients(booking.venue)
    ]


# Booking events -----------------------------------------------------------

def _venue_did_it(booking: Booking) -> bool:
    """True when a member of the venue cancelled the booking (they know already)."""
    return bool(booking.cancelled_by_id) and Membership.objects.filter(
        venue_id=booking.venue_id, user_id=booking.cancelled_by_id
    ).exists()


def plans_for_event(booking: Booking, kind: str, now: dt.datetime, *, by_venue: bool = False) -> list[Plan]:
    """The messages one booking event calls for (before deduplication).

    The venue is not told of changes it made itself (`by_venue`, or a
    cancellation by one of its members), nor of bookings it entered itself.
    """
    status = booking.status
    if kind in {"created", "confirmed"}:
        if status in {BookingStatus.HELD, BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED,
                      BookingStatus.CANCELLED}:  # a visit waiting for its payment is announced once paid
            return []
        customer_kind = Kind.CONFIRMATION if status in {BookingStatus.CONFIRMED} else Kind.RECEIVED
        venue = [] if booking.source == Source.PARTNER else _for_venue(booking, Kind.VENUE_NEW_BOOKING)
        return _for_customer(booking, customer_kind) + venue
    if kind == "moved":
        # events.booking_changed raised the sequence with the move itself.
        occasion = f"seq-{BookingCalendar.sequence_of(booking.pk)}"
        venue = [] if by_venue else _for_venue(booking, Kind.VENUE_CHANGE, occasion=occasion)
        return _for_customer(booking, Kind.CHANGE, occasion=occasion) + venue
    if kind == "cancelled":
        venue = [] if by_venue or _venue_did_it(booking) else _for_venue(booking, Kind.VENUE_CANCELLATION)
        return _for_customer(booking, Kind.CANCELLATION) + venue
    if kind == "attended":
        return _for_customer(booking, Kind.REVIEW_REQUEST, due_at=max(now, booking.end + REVIEW_AFTER))
    if kind in {"patch_test_passed", "patch_test_failed"}:
        result = "passed" if kind == "patch_test_passed" else "failed"
        plans = _for_customer(booking, Kind.PATCH_TEST_RESULT, occasion=result)
        # The treatments that waited for this result: confirmed ones get their confirmation,
        # cancelled ones their cancellation (with the calendar CANCEL if they had an invitation).
        for dependant in booking.dependants.select_related("venue", "client", "customer", "client__user"):
            if dependant.status == BookingStatus.CANCELLED:
                if not Message.objects.filter(booking=dependant, kind=Kind.CANCELLATION).exists():
                    BookingCalendar.bump(dependant.pk)
                plans += _for_customer(dependant, Kind.CANCELLATION)
            else:
                plans += plans_for_event(dependant, "confirmed", now)
        return plans
    if kind == "session_done":
        return _for_customer(booking, Kind.AFTERCARE) + _for_customer(booking, Kind.CHECKIN, due_at=now + CHECKIN_AFTER)
    return []


def notify_booking_event(*, booking_id: int, kind: str, now: dt.datetime, by_venue: bool = False) -> list[int]:
    """Plan the messages for an event and return the ids of those due now (to send at once)."""
    booking = Booking.objects.select_related("venue", "client", "customer",
                                             "client__user").filter(pk=booking_id).first()
    if booking is None:
        logger.info("notifications: booking %s is gone; %s ignored", booking_id, kind)
        return []
    created = [outbox.plan_message(plan, now) for plan in plans_for_event(booking, kind, now, by_venue=by_venue)]
    return [m.pk for m in created if m is not None and m.due_at <= now]


# Sweeps ---------------------------------------------------------------------

def _reminder_window(now: dt.datetime) -> Q | None:
    """Bookings whose venue's reminder lead has been reached, and that were made before it."""
    leads = [h for h in Venue.objects.order_by().values_list("reminder_lead_hours", flat=True).distinct() if h]
    if not leads:
        return None
    return reduce(or_, (
        Q(venue__reminder_lead_hours=h, start__lte=now + dt.timedelta(hours=h),
          created_at__lte=F("start") - dt.timedelta(hours=h))
        for h in leads
    ))


def _is_patch_test(booking: Booking) -> bool:
    return any(item.service.kind == ServiceKind.CONSULTATION for item in booking.items.all())


def plan_reminders(*, now: dt.datetime) -> int:
    """Plan the reminder of every confirmed booking inside its venue's lead; returns how many are new.

    One reminder per booking start: a booking moved after its reminder gets
    another for the new time. Bookings made inside the lead get none: their
    confirmation has just told them.
    """
    window = _reminder_window(now)
    if window is None:
        return 0
    already = Message.objects.filter(booking=OuterRef("pk"), kind__in=REMINDER_KINDS, booking_start=OuterRef("start"))
    due = (
        Booking.objects.filter(window, status=BookingStatus.CONFIRMED, start__gt=now)
        .exclude(Exists(already))
        .select_related("venue", "client", "customer", "client__user")
        .prefetch_related("items__service")
        .order_by("start")[:PLAN_BATCH]
    )
    planned = 0
    for booking in due:
        kind = Kind.PATCH_TEST_REMINDER if _is_patch_test(booking) else Kind.REMINDER
        for plan in _for_customer(booking, kind, occasion=booking.start.isoformat(), booking_start=booking.start):
            planned += outbox.plan_message(plan, now) is not None
    return planned


def plan_review_requests(*, now: dt.datetime) -> int:
    """Plan a review request for attended visits that ended a while ago and have none yet."""
    already = Message.objects.filter(booking=OuterRef("pk"), kind=Kind.REVIEW_REQUEST)
    due = (
        Booking.objects.filter(status=BookingStatus.ATTENDED, end__lte=now - REVIEW_AFTER, end__gt=now - REVIEW_WINDOW)
        .exclude(Exists(already))
        .select_related("venue", "client", "customer", "client__user")
        .order_by("end")[:PLAN_BATCH]
    )
    planned = 0
    for booking in due:
        for plan in _for_customer(booking, Kind.REVIEW_REQUEST):
            planned += outbox.plan_message(plan, now) is not None
    return planned


def plan_missed_confirmations(*, now: dt.datetime) -> int:
    """Plan the first messages of recent bookings whose event never produced them.

    The event task normally does this within seconds; this catches a task
    lost with a crashed worker or a queue that was down at commit time.
    """
    first_kinds = [Kind.CONFIRMATION, Kind.RECEIVED]
    already = Message.objects.filter(booking=OuterRef("pk"), kind__in=first_kinds)
    missed = (
        Booking.objects.filter(
            status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING, BookingStatus.AWAITING_PATCH_TEST],
            created_at__gt=now - MISSED_WINDOW, created_at__lte=now - MISSED_GRACE, start__gt=now,
        )
        .exclude(Exists(already))
        .select_related("venue", "client", "customer", "client__user")
        .order_by("created_at")[:PLAN_BATCH]
    )
    planned = 0
    for booking in missed:
        logger.warning("notifications: booking %s had no confirmation; planning it now", booking.pk)
        for plan in plans_for_event(booking, "created", now):
            planned += outbox.plan_message(plan, now) is not None
    return planned


def sweep(*, now: dt.datetime) -> dict[str, int]:
    """One round: plan reminders and review requests, free stale claims, send what is due."""
    counts = {
        "missed_planned": plan_missed_confirmations(now=now),
        "reminders_planned": plan_reminders(now=now),
        "reviews_planned": plan_review_requests(now=now),
        "claims_released": outbox.release_stale_claims(now),
    }
    counts.update(outbox.deliver_many(outbox.due_ids(now), now))
    return counts


# Preferences and feeds ------------------------------------------------------

def update_preferences(*, user: Any, values: dict[str, bool]) -> Preference:
    """Save the switches in `values` (unknown keys ignored); returns the row."""
    pref, _ = Preference.objects.get_or_create(user=user)
    editable = {f.name for f in Preference._meta.get_fields()} - {"id", "user", "updated_at"}
    fields = [name for name in values if name in editable]
    for name in fields:
        setattr(pref, name, bool(values[name]))
    pref.save()
    return pref


def feed_staff_choices(user: Any) -> list[Staff]:
    """The staff profiles whose diary this user may subscribe to: their own, at venues they still belong to."""
    member_of = Membership.objects.filter(user=user, venue=OuterRef("venue"))
    return list(Staff.objects.filter(Exists(member_of), user=user, is_active=True)
                .select_related("venue").order_by("venue__name"))


def issue_feed(*, user: Any, scope: str, staff: Staff | None, now: dt.datetime) -> tuple[CalendarFeed, str]:
    """A new feed URL token; any earlier feed of the same scope (and staff) is revoked."""
    with transaction.atomic():
        previous = CalendarFeed.objects.active().filter(user=user, scope=scope, staff=staff)
        previous.update(revoked_at=now)
        return CalendarFeed.issue(user=user, scope=scope, staff=staff)


def revoke_feed(*, feed: CalendarFeed, now: dt.datetime) -> None:
    feed.revoke(now)


FETCH_NOTE_EVERY = dt.timedelta(minutes=5)


def note_feed_fetched(*, feed: CalendarFeed, now: dt.datetime) -> None:
    """Remember when a calendar app last fetched the feed (shown to its owner), at most every FETCH_NOTE_EVERY:
    apps poll often, and a write per poll would be wasted."""
    if feed.last_fetched_at is None or now - feed.last_fetched_at > FETCH_NOTE_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
        feed.last_fetched_at = now


def revoke_venue_feeds(*, user_id: int, venue_id: int, now: dt.datetime) -> int:
    """Revoke the person's diary feeds of staff profiles at a venue they no longer belong to; returns how many."""
    return CalendarFeed.objects.active().filter(user_id=user_id, staff__venue_id=venue_id).update(revoked_at=now)


def erase_person(*, user: Any) -> dict[str, int]:
    """Forget what notifications holds about a person who erases their account.

    Their feeds and preferences go; their sent-mail records keep only the
    fact of sending, with the address blanked; unsent mail to them is dropped.
    Returns counts by what was done.
    """
    with transaction.atomic():
        feeds = CalendarFeed.objects.filter(user=user).delete()[0]
        prefs = Preference.objects.filter(user=user).delete()[0]
        mine = Message.objects.filter(Q(user=user) | Q(recipient__iexact=user.email))
        dropped = mine.exclude(status=MessageStatus.SENT).delete()[0]
        blanked = mine.filter(status=MessageStatus.SENT).update(recipient=f"erased-{user.pk}@invalid", user=None)
    return {"feeds": feeds, "preferences": prefs, "unsent_dropped": dropped, "sent_blanked": blanked}

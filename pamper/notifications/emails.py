"""Turning a send record into an email: still relevant? allowed? then HTML + text (+ .ics).

Everything is rendered at send time from the booking as it is now, so a
retried message never announces a time that has since changed, and a
reminder for a booking cancelled in the meantime is skipped, not sent.
Every time shown is the venue's local time with its zone named.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from pamper.bookings.models import FREE_CANCEL_MINUTES, Booking
from pamper.bookings.models import Status as BookingStatus
from pamper.lib import clock
from pamper.lib.clock import format_local
from pamper.lib.headers import one_line
from pamper.lib.languages import message_language
from pamper.lib.money import format_money
from pamper.notifications import ics
from pamper.notifications.models import (
    REMINDER_KINDS,
    SAFETY_KINDS,
    VENUE_KINDS,
    BookingCalendar,
    Kind,
    Message,
    Preference,
)
from pamper.notifications.models import Status as MessageStatus
from pamper.payments import queries as payment_queries

logger = logging.getLogger(__name__)

SUBJECTS = {
    Kind.RECEIVED: gettext_lazy("Booking request received: {venue} on {when}"),
    Kind.CONFIRMATION: gettext_lazy("Booking confirmed: {venue} on {when}"),
    Kind.CHANGE: gettext_lazy("Booking changed: {venue} now on {when}"),
    Kind.CANCELLATION: gettext_lazy("Booking cancelled: {venue} on {when}"),
    Kind.REMINDER: gettext_lazy("Reminder: {venue} on {when}"),
    Kind.PATCH_TEST_REMINDER: gettext_lazy("Reminder: your patch test at {venue} on {when}"),
    Kind.PATCH_TEST_RESULT: gettext_lazy("Your patch-test result from {venue}"),
    Kind.AFTERCARE: gettext_lazy("Aftercare for your treatment at {venue}"),
    Kind.CHECKIN: gettext_lazy("How are you feeling after your treatment at {venue}?"),
    Kind.REVIEW_REQUEST: gettext_lazy("How was your visit to {venue}?"),
    Kind.VENUE_NEW_BOOKING: gettext_lazy("New booking: {services} on {when}"),
    Kind.VENUE_CHANGE: gettext_lazy("Booking moved: {services} now on {when}"),
    Kind.VENUE_CANCELLATION: gettext_lazy("Booking cancelled: {services} on {when}"),
}

# Kinds about an appointment still to come: pointless once it has started.
UPCOMING_KINDS = frozenset({Kind.RECEIVED, Kind.CONFIRMATION, Kind.CHANGE, *REMINDER_KINDS})
GONE = frozenset({BookingStatus.CANCELLED, BookingStatus.EXPIRED, BookingStatus.HELD})


def load_booking(booking_id: int) -> Booking | None:
    """The booking with everything an email shows, or None."""
    return (
        Booking.objects.select_related("venue", "client", "customer")
        .prefetch_related("items__service__treatment", "items__staff")
        .filter(pk=booking_id)
        .first()
    )


def site_link(name: str, args: list[Any] | None = None, fallback: str = "/") -> str:
    """Absolute URL of a named route, or of `fallback` while that route does not exist."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = fallback
    return settings.SITE_URL + path


def skip_reason(message: Message, booking: Booking, now: dt.datetime) -> str:
    """Why this message should not go out now ("" when it should)."""
    kind, status = message.kind, booking.status
    if message.user_id and not _allowed(message.user_id, kind):
        return "switched off by the recipient"
    if kind in UPCOMING_KINDS and booking.start <= now:
        return "the appointment has already started"
    wanted = {
        Kind.RECEIVED: status in {BookingStatus.PENDING, BookingStatus.AWAITING_PATCH_TEST},
        Kind.CONFIRMATION: status == BookingStatus.CONFIRMED,
        Kind.CHANGE: status not in GONE,
        Kind.VENUE_CHANGE: status not in GONE,
        Kind.CANCELLATION: status == BookingStatus.CANCELLED,
        Kind.VENUE_CANCELLATION: status == BookingStatus.CANCELLED,
        Kind.VENUE_NEW_BOOKING: status not in {BookingStatus.HELD, BookingStatus.EXPIRED},
        Kind.REMINDER: status == BookingStatus.CONFIRMED and booking.start == message.booking_start,
        Kind.PATCH_TEST_REMINDER: status == BookingStatus.CONFIRMED and booking.start == message.booking_start,
        Kind.REVIEW_REQUEST: status == BookingStatus.ATTENDED and not _has_review(booking),
    }.get(kind, True)
    return "" if wanted else f"the booking is now {booking.get_status_display().lower()}"


def _allowed(user_id: int, kind: str) -> bool:
    pref = Preference.objects.filter(user_id=user_id).first()
    return pref is None or pref.allows(kind)


def _has_review(booking: Booking) -> bool:
    reviews = getattr(booking, "reviews", None)
    return reviews is not None and reviews.exists()


def build(message: Message, now: dt.datetime) -> tuple[EmailMultiAlternatives | None, str]:
    """The email for `message`, or (None, why not), written in the recipient's language (their account's, else
    the venue's: pamper.lib.languages.message_language), dates and prices included."""
    booking = load_booking(message.booking_id)
    if booking is None:
        return None, "the booking no longer exists"
    venue = booking.venue
    language = message_language(getattr(message.user, "language", None), venue.language, venue.country)
    with translation.override(language), clock.for_any_reader():  # read later, anywhere: every time names its zone
        return _build(message, booking, now)


def _build(message: Message, booking: Booking, now: dt.datetime) -> tuple[EmailMultiAlternatives | None, str]:
    reason = skip_reason(message, booking, now)
    if reason:
        return None, reason
    context = message_context(message, booking, now)
    subject = SUBJECTS[message.kind].format(**context["subject_fields"])
    template = f"notifications/email/{message.kind}"
    headers = {"Auto-Submitted": "auto-generated", "X-Pamper-Message": str(message.pk)}
    if message.kind not in SAFETY_KINDS:
        headers["List-Unsubscribe"] = f"<{context['preferences_url']}>"
    email = EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[booking.venue.email] if booking.venue.email and message.kind not in VENUE_KINDS else None,
        headers=headers,
    )
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    invite = invitation_for(message, booking, now)
    if invite is not None:
        email.attach(invite)
    return email, ""


def booking_context(booking: Booking) -> dict[str, Any]:
    """What every booking email shows, times in the venue's zone with the zone named."""
    venue, tz = booking.venue, booking.venue.timezone
    items = list(booking.items.all())
    services = ", ".join(item.service.name for item in items) or gettext("Appointment")
    when = format_local(booking.start, tz)
    payment = payment_queries.summaries([booking]).get(booking.pk)
    free = booking.free_deadline(payment["fee_from_hours"] if payment else 0)
    return {
        "booking": booking,
        "venue": venue,
        "when": when,
        "ends": format_local(booking.end, tz),
        "items": [
            {"name": i.service.name, "staff": i.staff.name, "when": format_local(i.start, tz),
             "minutes": int((i.end - i.start).total_seconds() // 60)}
            for i in items
        ],
        "services": services,
        "total": format_money(booking.total_price, booking.currency),
        "payment": payment,  # paid, card kept, and the rules
        # Free until the notice, or until the payment terms keep a fee when sooner; "" when gone at booking.
        "cancel_until": format_local(free, tz) if free > booking.created_at else "",
        # Booked inside the venue's notice: the deadline was gone before the booking was made.
        "booked_inside_notice": booking.created_at > booking.change_deadline,
        "free_cancel_minutes": FREE_CANCEL_MINUTES,
        "manage_url": site_link("bookings:detail", [booking.pk], "/bookings/"),
        "venue_url": settings.SITE_URL + venue.get_absolute_url(),
        "site_url": settings.SITE_URL,
        "preferences_url": site_link("notifications:preferences", None, "/accounts/notifications/"),
        "subject_fields": {"venue": venue.name, "when": when, "services": services},
    }


def message_context(message: Message, booking: Booking, now: dt.datetime) -> dict[str, Any]:
    context = booking_context(booking)
    context.update(message=message, kind=message.kind, is_venue=message.kind in VENUE_KINDS)
    context["greeting_name"] = booking.venue.name if message.kind in VENUE_KINDS else booking.client.name
    treatments = _treatments(booking)
    if message.kind in VENUE_KINDS:
        context["client"] = booking.client
        context["calendar_url"] = site_link("partner:booking", [booking.venue_id, booking.pk], "/partner/")
    if message.kind in {Kind.AFTERCARE, Kind.CHECKIN}:
        context["treatments"] = treatments
    if message.kind == Kind.PATCH_TEST_RESULT:
        context.update(_patch_test_context(message, booking))
    if message.kind == Kind.PATCH_TEST_REMINDER:
        context["lead_hours"] = max((t.patch_test_lead_hours or 0 for t in treatments), default=0)
    if message.kind == Kind.REVIEW_REQUEST:
        context["review_url"] = site_link("reviews:write", [booking.pk], f"/bookings/{booking.pk}/review/")
    return context


def _treatments(booking: Booking) -> list[Any]:
    seen: dict[int, Any] = {}
    for item in booking.items.all():
        seen.setdefault(item.service.treatment_id, item.service.treatment)
    return list(seen.values())


def _patch_test_context(message: Message, booking: Booking) -> dict[str, Any]:
    tz = booking.venue.timezone
    dependants = [
        {"services": ", ".join(i.service.name for i in d.items.all()) or gettext("Treatment"),
         "when": format_local(d.start, tz), "status": d.get_status_display()}
        for d in booking.dependants.prefetch_related("items__service").order_by("start")
    ]
    earliest = ""
    consultations = getattr(booking, "clinical_consultations", None)
    if consultations is not None and message.occasion == "passed":
        found = consultations.select_related("treatment").filter(outcome="passed").first()
        if found is not None:
            earliest = format_local(found.earliest_treatment(), tz)
    return {"passed": message.occasion == "passed", "dependants": dependants, "earliest": earliest}


def calendar_entry(booking: Booking, sequence: int) -> ics.CalendarEntry:
    """The customer's view of their booking as a calendar event."""
    context = booking_context(booking)
    venue = booking.venue
    return ics.CalendarEntry(
        uid=ics.booking_uid(booking.pk),
        start=booking.start,
        end=booking.end,
        summary=gettext("%(services)s at %(venue)s") % {"services": context["services"], "venue": venue.name},
        sequence=sequence,
        location=", ".join(p for p in [venue.name, venue.address, venue.city, venue.postcode] if p),
        description=gettext("Manage this booking: %(url)s") % {"url": context["manage_url"]},
        url=context["manage_url"],
        status="CONFIRMED" if booking.status in {BookingStatus.CONFIRMED, BookingStatus.ATTENDED} else "TENTATIVE",
        zone=venue.timezone,
    )


def invitation_for(message: Message, booking: Booking, now: dt.datetime) -> MIMEBase | None:
    """The .ics part for confirmations, changes and cancellations the customer can put in a calendar."""
    if message.kind == Kind.CANCELLATION:
        sent_before = Message.objects.filter(
            booking=booking, kind__in=[Kind.CONFIRMATION, Kind.CHANGE], status=MessageStatus.SENT
        ).exists()
        if not sent_before:
            return None
        method = "CANCEL"
    elif message.kind in {Kind.CONFIRMATION, Kind.CHANGE} and booking.status == BookingStatus.CONFIRMED:
        method = "REQUEST"
    else:
        return None
    venue = booking.venue
    data = ics.invitation(
        calendar_entry(booking, BookingCalendar.sequence_of(booking.pk)),
        organizer=(venue.name, venue.email or _from_address()),
        attendee=(booking.client.name, message.recipient),
        cancel=method == "CANCEL",
        stamp=now,
    )
    part = MIMEText(data.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="booking.ics")
    return part


def _from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "bookings@pamper.localhost"

"""Building venues, people and bookings for the notification tests.

Bookings are made the way the booking action makes them: rows written in
one transaction that calls `booking_changed`, so the mail follows the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from itertools import count

import icalendar
from django.db import transaction

from pamper.accounts.models import Membership, Role, User
from pamper.bookings.models import Booking, BookingItem, Status
from pamper.catalog.models import Category, Treatment
from pamper.notifications.events import booking_changed
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

_seq = count(1)
LONDON = "Europe/London"


@dataclass
class World:
    venue: Venue
    owner: User
    customer: User
    client: Client
    staff: Staff
    staff_user: User
    treatment: Treatment
    service: Service
    patch_service: Service


def make_treatment(**extra: object) -> Treatment:
    n = next(_seq)
    category, _ = Category.objects.get_or_create(slug="face", defaults={"name": "Face"})
    fields = {
        "slug": f"peel-{n}", "name": "Chemical peel", "category": category, "summary": "An acid peel.",
        "session_minutes": 45, "price_from": Decimal("60"), "price_to": Decimal("120"),
        "aftercare": ["Wear SPF 50 for two weeks.", "Do not pick flaking skin."],
        "side_effects": ["redness", "tightness"], "downtime": "One or two days of redness.",
        "patch_test_lead_hours": 48, "patch_test_validity_days": 180,
    }
    fields.update(extra)
    return Treatment.objects.create(**fields)


def make_world(tz: str = LONDON) -> World:
    n = next(_seq)
    venue = Venue.objects.create(
        name=f"Glow Clinic {n}", slug=f"glow-{n}", address="1 High Street", city="London", postcode="N1 1AA",
        country="GB", latitude=51.5, longitude=-0.1, timezone=tz, email=f"desk{n}@glow.example", phone="020 7946 0000",
    )
    owner = User.objects.create_user(email=f"owner{n}@glow.example", password="x-pass-123456", name="Olive Owner")
    Membership.objects.create(user=owner, venue=venue, role=Role.OWNER)
    staff_user = User.objects.create_user(email=f"pat{n}@glow.example", password="x-pass-123456", name="Pat Practitioner")
    Membership.objects.create(user=staff_user, venue=venue, role=Role.PRACTITIONER)
    staff = Staff.objects.create(venue=venue, name="Pat", user=staff_user)
    treatment = make_treatment()
    service = Service.objects.create(
        venue=venue, treatment=treatment, name="Glow peel", price=Decimal("85.00"), currency="GBP", duration_minutes=60,
    )
    patch_service = Service.objects.create(
        venue=venue, treatment=treatment, kind=ServiceKind.CONSULTATION, name="Peel consultation and patch test",
        price=Decimal("0"), currency="GBP", duration_minutes=15,
    )
    customer = User.objects.create_user(email=f"casey{n}@example.com", password="x-pass-123456", name="Casey Smithson")
    client = Client.objects.create(venue=venue, user=customer, name="Casey Smithson", email=customer.email)
    return World(venue, owner, customer, client, staff, staff_user, treatment, service, patch_service)


def book(
    world: World, start: dt.datetime, *, service: Service | None = None, status: str = Status.CONFIRMED,
    created_at: dt.datetime | None = None, kind: str = "created", depends_on: Booking | None = None,
) -> Booking:
    """A one-service booking written in one transaction that tells notifications, like book_visit."""
    service = service or world.service
    end = start + dt.timedelta(minutes=service.duration_minutes)
    with transaction.atomic():
        booking = Booking.objects.create(
            venue=world.venue, client=world.client, customer=world.customer, status=status, start=start, end=end,
            total_price=service.price, currency=service.currency, depends_on=depends_on,
            **({"created_at": created_at} if created_at else {}),
        )
        BookingItem.objects.create(
            booking=booking, venue=world.venue, service=service, staff=world.staff, start=start, end=end,
            busy_start=start, busy_end=end, price=service.price, currency=service.currency,
        )
        booking_changed(booking.pk, kind)
    return booking


def move(booking: Booking, start: dt.datetime) -> Booking:
    delta = start - booking.start
    with transaction.atomic():
        booking.start, booking.end = booking.start + delta, booking.end + delta
        booking.save()
        for item in booking.items.all():
            item.start, item.end = item.start + delta, item.end + delta
            item.busy_start, item.busy_end = item.busy_start + delta, item.busy_end + delta
            item.save()
        booking_changed(booking.pk, "moved")
    return booking


def set_status(booking: Booking, status: str, event: str, *, by: User | None = None) -> Booking:
    with transaction.atomic():
        booking.status = status
        if status == Status.CANCELLED:
            booking.cancelled_by = by
        booking.save()
        booking.items.update(active=status != Status.CANCELLED)
        booking_changed(booking.pk, event)
    return booking


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def calendar_of(message: EmailMessage) -> icalendar.Calendar | None:
    """The parsed text/calendar part of a message, or None."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return None


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)

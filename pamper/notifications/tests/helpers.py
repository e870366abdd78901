"""Building venues, people and bookings for the notification tests (rows from pamper/tests/factories.py).

Bookings go through the booking actions (book_visit, reschedule_booking,
cancel_booking ...), which call `booking_changed`, so the mail follows the
commit exactly as in production. Clinical results are played the way the
clinical actions play them (status + event in one transaction).
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
from pamper.bookings.actions import book_visit, cancel_booking, confirm_booking, reschedule_booking
from pamper.bookings.attendance import mark_attended
from pamper.bookings.models import Booking, Status
from pamper.catalog.models import Treatment
from pamper.lib import clock
from pamper.notifications.events import booking_changed
from pamper.tests.factories import (
    CategoryFactory,
    ClientFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    TreatmentFactory,
    UserFactory,
    VenueFactory,
)
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
    fields = {
        "slug": f"peel-{n}", "name": "Chemical peel", "category": CategoryFactory(slug="face", name="Face"),
        "summary": "An acid peel.", "session_minutes": 45, "price_from": Decimal("60"), "price_to": Decimal("120"),
        "aftercare": ["Wear SPF 50 for two weeks.", "Do not pick flaking skin."],
        "side_effects": ["redness", "tightness"], "downtime": "One or two days of redness.",
    }
    fields.update(extra)
    return TreatmentFactory(**fields)


def make_staff(venue: Venue, name: str, services: list[Service], user: User | None = None) -> Staff:
    """A staff member who works 07:00-21:00 local every day and performs `services`."""
    return StaffFactory(venue=venue, name=name, user=user, services=services, shifts=[("07:00", "21:00")])


def make_world(tz: str = LONDON) -> World:
    n = next(_seq)
    venue = VenueFactory(
        name=f"Glow Clinic {n}", slug=f"glow-{n}", address="1 High Street", city="London", postcode="N1 1AA",
        country="GB", latitude=51.5, longitude=-0.1, timezone=tz, email=f"desk{n}@glow.example", phone="020 7946 0000",
        currency="GBP", hours=("07:00", "21:00"),
    )
    owner = UserFactory(email=f"owner{n}@glow.example", password="x-pass-123456", name="Olive Owner")
    MembershipFactory(user=owner, venue=venue, role=Role.OWNER)
    staff_user = UserFactory(email=f"pat{n}@glow.example", password="x-pass-123456", name="Pat Practitioner")
    MembershipFactory(user=staff_user, venue=venue, role=Role.PRACTITIONER)
    treatment = make_treatment()
    service = ServiceFactory(venue=venue, treatment=treatment, name="Glow peel", price=Decimal("85.00"), currency="GBP",
                             duration_minutes=60)
    tinting = make_treatment(slug=f"tint-{n}", name="Lash tint", patch_test_lead_hours=48, patch_test_validity_days=180)
    patch_service = ServiceFactory(venue=venue, treatment=tinting, kind=ServiceKind.CONSULTATION,
                                   name="Lash tint patch test", price=Decimal("0"), currency="GBP", duration_minutes=15)
    staff = make_staff(venue, "Pat", [service, patch_service], user=staff_user)
    customer = UserFactory(email=f"casey{n}@example.com", password="x-pass-123456", name="Casey Smithson")
    client = ClientFactory(venue=venue, user=customer, name="Casey Smithson", email=customer.email)
    return World(venue, owner, customer, client, staff, staff_user, treatment, service, patch_service)


def book(
    world: World, start: dt.datetime, *, service: Service | None = None, status: str | None = None,
    depends_on: Booking | None = None, staff: Staff | None = None,
) -> Booking:
    """A one-service online booking through the booking action (it tells notifications).

    For a service on a clinical pathway the customer answers the medical questionnaire first, as the pathway asks.
    """
    chosen = service or world.service
    if chosen.treatment.has_pathway and world.customer is not None:
        from pamper.clinical.actions import submit_questionnaire
        from pamper.clinical.queries import answered_questionnaire

        if answered_questionnaire(world.client, chosen.treatment, start) is None:
            submit_questionnaire(user=world.customer, venue=world.venue, treatment=chosen.treatment, answers={},
                                 version=None, now=clock.now())
    return book_visit(
        venue=world.venue, services=[service or world.service], start=start, customer=world.customer,
        client=None if world.customer else world.client, staff=staff or world.staff, status=status,
        depends_on=depends_on, now=clock.now(),
    )


def move(booking: Booking, start: dt.datetime) -> Booking:
    """The venue moves the booking (no notice window)."""
    return reschedule_booking(booking=booking, start=start, by_venue=True, now=clock.now())


def cancel(booking: Booking, by: User) -> Booking:
    """Cancelled by the customer, or by the venue when `by` works there."""
    by_venue = Membership.objects.filter(user=by, venue_id=booking.venue_id).exists()
    return cancel_booking(booking=booking, actor=by, by_venue=by_venue, reason="Staff illness" if by_venue else "",
                          now=clock.now())


def confirm(booking: Booking) -> Booking:
    return confirm_booking(booking=booking, now=clock.now())


def attend(booking: Booking) -> Booking:
    return mark_attended(booking=booking, now=clock.now())


def session_done(booking: Booking) -> None:
    """What clinical.record_session tells notifications once a session is written."""
    with transaction.atomic():
        booking_changed(booking.pk, "session_done")


def clinical_event(booking: Booking, status: str, event: str) -> Booking:
    """What a clinical action does: change the status and tell notifications, in one transaction."""
    with transaction.atomic():
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
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

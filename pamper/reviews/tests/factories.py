"""Venues, customers and attended bookings for the review tests, built with the shared factories
(pamper/tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from pamper.accounts.models import Role, User
from pamper.bookings.models import Booking, Status
from pamper.catalog.models import Treatment
from pamper.tests.factories import (
    BookingFactory,
    CategoryFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    TreatmentFactory,
    UserFactory,
    VenueFactory,
)
from pamper.venues.models import Service, Staff, Venue

_seq = itertools.count(1)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def treatment(*, name: str = "Gel manicure", course_sessions: int = 1) -> Treatment:
    n = next(_seq)
    return TreatmentFactory(
        slug=f"t-{n}", name=name, category=CategoryFactory(slug="nails", name="Nails"), summary="A treatment.",
        session_minutes=45, course_sessions=course_sessions, course_interval_days=14 if course_sessions > 1 else None,
        price_from=Decimal("20"), price_to=Decimal("60"),
    )


def venue(*, name: str = "Rose Rooms", slug: str | None = None) -> Venue:
    n = next(_seq)
    return VenueFactory(
        name=name, slug=slug or f"venue-{n}", address="1 High Street", city="London", country="GB",
        latitude=51.5, longitude=-0.12, timezone="Europe/London", currency="GBP",
    )


def staff(v: Venue, *, name: str = "Maria Lopez") -> Staff:
    return StaffFactory(venue=v, name=name)


def service(v: Venue, t: Treatment, *, price: str = "45.00") -> Service:
    return ServiceFactory(venue=v, treatment=t, name=t.name, price=Decimal(price), currency="GBP", duration_minutes=45)


def user(*, name: str = "Ana Rossi", email: str | None = None) -> User:
    return UserFactory(email=email or f"user{next(_seq)}@example.com", name=name)


def member(v: Venue, *, role: str = Role.OWNER, name: str = "Olivia Owner") -> User:
    u = user(name=name)
    MembershipFactory(user=u, venue=v, role=role)
    return u


def booking(
    customer: User, svc: Service, who: Staff, *, start: dt.datetime, status: str = Status.ATTENDED,
) -> Booking:
    """A one-item booking of svc with who at start (45 minutes), for customer."""
    return BookingFactory(customer=customer, service=svc, staff=who, start=start, status=status)

"""Plain helpers that build venues, customers and attended bookings straight from the models."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from pamper.accounts.models import Membership, Role, User
from pamper.bookings.models import Booking, BookingItem, Status
from pamper.catalog.models import Category, Treatment
from pamper.venues.models import Client, Service, Staff, Venue

_seq = itertools.count(1)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def treatment(*, name: str = "Gel manicure", course_sessions: int = 1) -> Treatment:
    n = next(_seq)
    category, _ = Category.objects.get_or_create(slug="nails", defaults={"name": "Nails"})
    return Treatment.objects.create(
        slug=f"t-{n}", name=name, category=category, summary="A treatment.", session_minutes=45,
        course_sessions=course_sessions, course_interval_days=14 if course_sessions > 1 else None,
        price_from=Decimal("20"), price_to=Decimal("60"),
    )


def venue(*, name: str = "Rose Rooms", slug: str | None = None) -> Venue:
    n = next(_seq)
    return Venue.objects.create(
        name=name, slug=slug or f"venue-{n}", address="1 High Street", city="London", country="GB",
        latitude=51.5, longitude=-0.12, timezone="Europe/London", currency="GBP",
    )


def staff(v: Venue, *, name: str = "Maria Lopez") -> Staff:
    return Staff.objects.create(venue=v, name=name)


def service(v: Venue, t: Treatment, *, price: str = "45.00") -> Service:
    return Service.objects.create(venue=v, treatment=t, name=t.name, price=Decimal(price), currency="GBP", duration_minutes=45)


def user(*, name: str = "Ana Rossi", email: str | None = None) -> User:
    return User.objects.create_user(email=email or f"user{next(_seq)}@example.com", password=None, name=name)


def member(v: Venue, *, role: str = Role.OWNER, name: str = "Olivia Owner") -> User:
    u = user(name=name)
    Membership.objects.create(user=u, venue=v, role=role)
    return u


def booking(
    customer: User, svc: Service, who: Staff, *, start: dt.datetime, status: str = Status.ATTENDED,
) -> Booking:
    """A one-item booking of svc with who at start (45 minutes), for customer."""
    v = svc.venue
    client, _ = Client.objects.get_or_create(venue=v, user=customer, defaults={"name": customer.name, "email": customer.email})
    end = start + dt.timedelta(minutes=svc.duration_minutes)
    b = Booking.objects.create(
        venue=v, client=client, customer=customer, status=status, start=start, end=end,
        total_price=svc.price, currency=svc.currency,
    )
    BookingItem.objects.create(
        booking=b, venue=v, service=svc, staff=who, start=start, end=end, busy_start=start, busy_end=end,
        price=svc.price, currency=svc.currency, active=status not in {Status.CANCELLED, Status.EXPIRED},
    )
    return b

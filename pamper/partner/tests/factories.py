"""Venues with a team, hours, shifts, services, clients and bookings for the workspace tests, built with the
shared factories (pamper/tests/factories.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from pamper.accounts.models import Role, User
from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Source
from pamper.catalog.models import Treatment
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
from pamper.tests.factories import bearer as _bearer
from pamper.tests.factories import utc as utc
from pamper.venues.models import Client, Service, Staff, Venue

PASSWORD = "lilac-orchard-58"
_seq = count(1)


def treatment(name: str = "Facial") -> Treatment:
    n = next(_seq)
    return TreatmentFactory(
        slug=f"{name.lower().replace(' ', '-')}-{n}", name=name, category=CategoryFactory(slug="skin", name="Skin"),
        summary=f"A {name.lower()}.", session_minutes=60, price_from=Decimal("30"), price_to=Decimal("90"),
    )


def user(email: str, name: str = "") -> User:
    return UserFactory(email=email, password=PASSWORD, name=name or email.split("@")[0].title())


def member(venue: Venue, role: str, email: str | None = None) -> User:
    person = user(email or f"{role}{next(_seq)}@example.com")
    MembershipFactory(user=person, venue=venue, role=role)
    return person


def bearer(person: User) -> dict[str, str]:
    return _bearer(person, name="tests")


@dataclass
class Salon:
    """A venue open 09:00-18:00 daily; Ana works 09-13 and 14-18 (a break), Ben 10-18; a 60-minute facial."""

    venue: Venue
    owner: User
    manager: User
    practitioner: User  # Ana's account
    reception: User
    ana: Staff
    ben: Staff
    facial: Service
    client: Client
    tag: str


def salon(tag: str = "Rose", tz: str = "Europe/London", currency: str = "GBP", published: bool = True,
          hours: tuple[str, str] = ("09:00", "18:00")) -> Salon:
    """A complete venue. Every name carries `tag` so tests can look for it in a page."""
    n = next(_seq)
    venue = VenueFactory(
        name=f"{tag} Studio", slug=f"{tag.lower()}-studio-{n}", address=f"{n} {tag} Street", city="London",
        country="GB", latitude=51.5, longitude=-0.12, timezone=tz, currency=currency, is_published=published,
        hours=hours,
    )
    facial = ServiceFactory(venue=venue, treatment=treatment(), name=f"{tag} Facial", price=Decimal("45.00"),
                            currency=currency, duration_minutes=60)
    practitioner = member(venue, Role.PRACTITIONER, f"ana.{tag.lower()}{n}@example.com")
    split = hours == ("09:00", "18:00")  # Ana takes a lunch break on the usual hours
    ana = StaffFactory(venue=venue, name=f"Ana {tag}", user=practitioner, position=0, services=[facial],
                 shifts=[("09:00", "13:00"), ("14:00", "18:00")] if split else [hours])
    ben = StaffFactory(venue=venue, name=f"Ben {tag}", position=1, services=[facial],
                 shifts=[("10:00", "18:00")] if split else [hours])
    client = ClientFactory(venue=venue, name=f"Clara {tag}", phone=f"0700 {n:06d}",
                           email=f"clara.{tag.lower()}{n}@example.com")
    return Salon(
        venue=venue, owner=member(venue, Role.OWNER, f"owner.{tag.lower()}{n}@example.com"),
        manager=member(venue, Role.MANAGER, f"manager.{tag.lower()}{n}@example.com"),
        practitioner=practitioner, reception=member(venue, Role.RECEPTION, f"desk.{tag.lower()}{n}@example.com"),
        ana=ana, ben=ben, facial=facial, client=client, tag=tag,
    )


def book(s: Salon, start: dt.datetime, staff: Staff | None = None, client: Client | None = None,
         now: dt.datetime | None = None) -> Booking:
    """A venue-side booking through the real action."""
    return booking_actions.book_visit(venue=s.venue, services=[s.facial], start=start, client=client or s.client,
                                      staff=staff or s.ana, source=Source.PARTNER, now=now)

"""The booking tests' salons, built with the shared factories (pamper/tests/factories.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.tests.factories import (
    CategoryFactory,
    ServiceFactory,
    StaffFactory,
    TreatmentFactory,
    UserFactory,
    VenueFactory,
)
from pamper.tests.factories import bearer as bearer
from pamper.tests.factories import utc as utc
from pamper.venues.models import Resource, Service, Staff, Venue

_seq = count(1)
PASSWORD = "a-good-pass-9871"


def treatment(**extra: object) -> Treatment:
    n = next(_seq)
    fields = {
        "slug": f"cut-{n}", "name": f"Cut {n}", "category": CategoryFactory(slug="hair", name="Hair"),
        "summary": "A haircut.", "session_minutes": 45, "price_from": Decimal("30"), "price_to": Decimal("60"),
    }
    fields.update(extra)
    return TreatmentFactory(**fields)


def venue(tz: str = "Europe/London", *, hours: tuple[str, str] = ("09:00", "18:00"), days: range = range(7),
          **extra: object) -> Venue:
    n = next(_seq)
    fields = {
        "name": f"Salon {n}", "slug": f"salon-{n}", "address": "1 High Street", "city": "London", "country": "GB",
        "latitude": 51.5, "longitude": -0.12, "timezone": tz, "currency": "GBP" if tz == "Europe/London" else "EUR",
        "min_notice_minutes": 60, "horizon_days": 60, "cancel_notice_hours": 24,
    }
    fields.update(extra)
    return VenueFactory(**fields, hours=hours, days=days)


def service(v: Venue, *, minutes: int = 60, price: str = "40.00", before: int = 0, after: int = 0,
            resource: Resource | None = None, name: str | None = None, t: Treatment | None = None,
            **extra: object) -> Service:
    return ServiceFactory(
        venue=v, treatment=t or treatment(), name=name or f"Service {next(_seq)}", price=Decimal(price),
        currency=v.currency, duration_minutes=minutes, buffer_before=before, buffer_after=after, resource=resource,
        **extra,
    )


def staff(v: Venue, services: list[Service], *, name: str | None = None, shifts: list[tuple[str, str]] | None = None,
          days: range = range(7), position: int = 0) -> Staff:
    return StaffFactory(venue=v, name=name or f"Stylist {next(_seq)}", position=position, services=services,
                        shifts=shifts or [("09:00", "18:00")], days=days)


def customer(email: str | None = None) -> User:
    n = next(_seq)
    return UserFactory(email=email or f"client{n}@example.com", password=PASSWORD, name=f"Client {n}")


@dataclass
class Shop:
    """One London salon open 09:00-18:00 every day, two stylists, a 60-minute cut and a 30-minute colour."""

    venue: Venue
    cut: Service
    colour: Service
    anna: Staff
    ben: Staff
    extra: dict = field(default_factory=dict)


def shop(tz: str = "Europe/London") -> Shop:
    v = venue(tz)
    cut = service(v, minutes=60, price="45.00", name="Cut and finish")
    colour = service(v, minutes=30, price="30.00", name="Colour")
    anna = staff(v, [cut, colour], name="Anna", position=1)
    ben = staff(v, [cut], name="Ben", position=2)
    return Shop(v, cut, colour, anna, ben)

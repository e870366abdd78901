"""Building venues with hours, staff, shifts and services for the booking tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from pamper.accounts.models import ApiToken, User
from pamper.catalog.models import Category, Treatment
from pamper.venues.models import OpeningHours, Resource, Service, Shift, Staff, Venue

_seq = count(1)
PASSWORD = "a-good-pass-9871"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def treatment(**extra: object) -> Treatment:
    n = next(_seq)
    category, _ = Category.objects.get_or_create(slug="hair", defaults={"name": "Hair"})
    fields = {
        "slug": f"cut-{n}", "name": f"Cut {n}", "category": category, "summary": "A haircut.",
        "session_minutes": 45, "price_from": Decimal("30"), "price_to": Decimal("60"),
    }
    fields.update(extra)
    return Treatment.objects.create(**fields)


def venue(tz: str = "Europe/London", *, hours: tuple[str, str] = ("09:00", "18:00"), days: range = range(7), **extra: object) -> Venue:
    n = next(_seq)
    fields = {
        "name": f"Salon {n}", "slug": f"salon-{n}", "address": "1 High Street", "city": "London", "country": "GB",
        "latitude": 51.5, "longitude": -0.12, "timezone": tz, "currency": "GBP" if tz == "Europe/London" else "EUR",
        "min_notice_minutes": 60, "horizon_days": 60, "cancel_notice_hours": 24,
    }
    fields.update(extra)
    v = Venue.objects.create(**fields)
    for d in days:
        OpeningHours.objects.create(venue=v, weekday=d, opens=hours[0], closes=hours[1])
    return v


def service(v: Venue, *, minutes: int = 60, price: str = "40.00", before: int = 0, after: int = 0,
            resource: Resource | None = None, name: str | None = None, t: Treatment | None = None, **extra: object) -> Service:
    return Service.objects.create(
        venue=v, treatment=t or treatment(), name=name or f"Service {next(_seq)}", price=Decimal(price), currency=v.currency,
        duration_minutes=minutes, buffer_before=before, buffer_after=after, resource=resource, **extra,
    )


def staff(v: Venue, services: list[Service], *, name: str | None = None, shifts: list[tuple[str, str]] | None = None,
          days: range = range(7), position: int = 0) -> Staff:
    s = Staff.objects.create(venue=v, name=name or f"Stylist {next(_seq)}", position=position)
    s.services.set(services)
    for d in days:
        for a, b in shifts or [("09:00", "18:00")]:
            Shift.objects.create(staff=s, weekday=d, start=a, end=b)
    return s


def customer(email: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(email=email or f"client{n}@example.com", password=PASSWORD, name=f"Client {n}")


def bearer(user: User) -> dict[str, str]:
    _, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


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

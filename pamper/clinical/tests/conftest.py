"""A small world for clinical tests: one clinic offering mesotherapy and hair colour with their
consultations, its staff in every role, a second venue, two customers, and a frozen clock.

Monday 2 March 2026 08:00 UTC (GMT, so local time equals UTC) is "now"; the clinic is open and
staffed every day 09:00-18:00 Europe/London.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from PIL import Image

from pamper.accounts.models import ApiToken, Membership, Role, User
from pamper.bookings.models import Booking, BookingItem
from pamper.catalog.models import Category, Contraindication, Treatment
from pamper.venues.models import Client, OpeningHours, Service, ServiceKind, Shift, Staff, Venue

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LONDON = "Europe/London"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in March 2026 (London is on GMT in early March, so this is local time too)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    venue: Venue
    other_venue: Venue
    meso: Treatment
    hair: Treatment
    facial: Treatment
    meso_consult: Service
    meso_service: Service
    hair_consult: Service
    hair_service: Service
    facial_service: Service
    staff: Staff
    owner: User
    manager: User
    practitioner: User
    reception: User
    outsider: User  # a practitioner at the other venue
    customer: User
    other_customer: User
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, who: str) -> HttpClient:
        """An HTTP client sending the bearer token of `who` (a World attribute name)."""
        user = getattr(self, who)
        if who not in self.tokens:
            self.tokens[who] = ApiToken.issue(user)[1]
        return HttpClient(HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}")

    def browser(self, who: str) -> HttpClient:
        client = HttpClient()
        client.force_login(getattr(self, who))
        return client

    def client_of(self, user: User, venue: Venue | None = None) -> Client:
        venue = venue or self.venue
        found, _ = Client.objects.get_or_create(venue=venue, user=user, defaults={"name": user.name, "email": user.email})
        return found

    def treated(self, user: User) -> Client:
        """The clinic's client record for `user`, seen by the practitioner yesterday (an attended facial).

        A practitioner opens only the records of clients they treat (clinical.access);
        tests that have the practitioner act on a client start from here.
        """
        client = self.client_of(user)
        if not BookingItem.objects.filter(booking__client=client, staff=self.staff).exists():
            start = at(1, 10)
            visit = Booking.objects.create(venue=self.venue, client=client, customer=user, status="attended", start=start,
                                           end=start + dt.timedelta(hours=1), total_price=60, currency="GBP")
            BookingItem.objects.create(booking=visit, venue=self.venue, service=self.facial_service, staff=self.staff,
                                       start=start, end=visit.end, busy_start=start, busy_end=visit.end, price=60,
                                       currency="GBP", active=True)
        return client


def _treatment(slug: str, name: str, category: Category, **values: Any) -> Treatment:
    defaults = {"summary": f"{name} in a sentence.", "session_minutes": 30, "price_from": Decimal(50),
                "price_to": Decimal(100), "aftercare": ["Keep the area clean.", "Avoid heat for 24 hours."],
                "side_effects": ["Redness"]}
    return Treatment.objects.create(slug=slug, name=name, category=category, **{**defaults, **values})


def _venue(name: str, slug: str) -> Venue:
    venue = Venue.objects.create(name=name, slug=slug, kind="clinic", address="1 High Street", city="London",
                                 country="GB", latitude=51.5, longitude=-0.12, timezone=LONDON, currency="GBP",
                                 min_notice_minutes=60, horizon_days=90, phone="020 7946 0000")
    for weekday in range(7):
        OpeningHours.objects.create(venue=venue, weekday=weekday, opens=dt.time(9), closes=dt.time(18))
    return venue


def _service(venue: Venue, treatment: Treatment, kind: str, minutes: int, price: str, name: str) -> Service:
    return Service.objects.create(venue=venue, treatment=treatment, kind=kind, name=name, price=Decimal(price),
                                  currency="GBP", duration_minutes=minutes)


def _user(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=None, name=name)  # no hashing: tests stay fast


@pytest.fixture
def world(db, frozen) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def build_world() -> World:
    category = Category.objects.create(slug="aesthetics", name="Aesthetics")
    flags = {slug: Contraindication.objects.create(slug=slug, label=label, question=question) for slug, label, question in [
        ("pregnancy", "Pregnant or breastfeeding", "Are you pregnant or breastfeeding?"),
        ("blood-thinners", "Blood thinners", "Do you take blood-thinning medicine?"),
        ("hair-dye-reaction", "Past reaction to hair dye", "Have you ever reacted to hair dye?"),
    ]}
    meso = _treatment("mesotherapy", "Mesotherapy", category, consultation_required=True, patch_test_lead_hours=24,
                      patch_test_validity_days=180, course_sessions=6, course_interval_days=7, session_minutes=20)
    meso.contraindications.set([flags["pregnancy"], flags["blood-thinners"]])
    hair = _treatment("hair-colour", "Hair colour", category, patch_test_lead_hours=48, patch_test_validity_days=None)
    hair.contraindications.set([flags["hair-dye-reaction"]])
    facial = _treatment("facial", "Facial", category)
    venue, other = _venue("Harley Skin Clinic", "harley-skin"), _venue("Elsewhere Spa", "elsewhere")
    services = {
        "meso_consult": _service(venue, meso, ServiceKind.CONSULTATION, 30, "0", "Mesotherapy consultation and patch test"),
        "meso_service": _service(venue, meso, ServiceKind.TREATMENT, 20, "150", "Mesotherapy, body"),
        "hair_consult": _service(venue, hair, ServiceKind.CONSULTATION, 15, "0", "Colour patch test"),
        "hair_service": _service(venue, hair, ServiceKind.TREATMENT, 90, "85", "Full head colour"),
        "facial_service": _service(venue, facial, ServiceKind.TREATMENT, 60, "60", "Facial"),
    }
    _service(other, meso, ServiceKind.TREATMENT, 20, "120", "Mesotherapy")
    users = {k: _user(f"{k}@example.com", k.replace("_", " ").title()) for k in
             ["owner", "manager", "practitioner", "reception", "outsider", "customer", "other_customer"]}
    for key, role in [("owner", Role.OWNER), ("manager", Role.MANAGER), ("practitioner", Role.PRACTITIONER),
                      ("reception", Role.RECEPTION)]:
        Membership.objects.create(user=users[key], venue=venue, role=role)
    Membership.objects.create(user=users["outsider"], venue=other, role=Role.PRACTITIONER)
    staff = Staff.objects.create(venue=venue, user=users["practitioner"], name="Dr Ada Practitioner")
    staff.services.set(services.values())
    for weekday in range(7):
        Shift.objects.create(staff=staff, weekday=weekday, start=dt.time(9), end=dt.time(18))
    return World(venue=venue, other_venue=other, meso=meso, hair=hair, facial=facial, staff=staff, **services, **users)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 80, 120),
                exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs: dict[str, Any] = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def events(monkeypatch) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Every booking_changed(booking_id, kind) call, in order."""
    calls: list[tuple[int, str]] = []
    import pamper.notifications.events as notification_events

    monkeypatch.setattr(notification_events, "booking_changed", lambda booking_id, kind: calls.append((booking_id, kind)))
    return calls

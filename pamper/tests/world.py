"""The shared test world: one clinic, its people in every role, and a frozen clock.

The root conftest.py exposes it as the `world` fixture (with `frozen`, the clock stopped at NOW); an
app's tests add only what they need on top of it, built with pamper/tests/factories.py.

Now is Monday 2 March 2026 08:00 UTC (London is on GMT, so local time equals UTC).

The places:
- `venue`, "Harley Skin Clinic" (slug harley-skin), London, open 09:00-18:00 every day, 60 minutes'
  notice, bookable 90 days ahead. Its services: `meso_consult` (30 min, free) and `meso_service`
  (20 min, 150) for mesotherapy; `hair_consult` (15 min patch test) and `hair_service` (90 min, 85)
  for hair colour; `facial_service` (60 min, 60). One room, `room` ("Treatment room"), no service needs it.
- `other_venue`, "Elsewhere Spa" (slug elsewhere), the same hours, offering mesotherapy (120).

The treatments: `meso` (consultation required, patch test 24 h ahead and valid 180 days, a course of
6 sessions 7 days apart, flags pregnancy and blood thinners), `hair` (patch test 48 h ahead, valid for
ever, flag a past reaction to hair dye) and `facial` (no rules).

The people (email `<name>@example.com`, no usable password: sign them in with `world.browser(name)` or
send their API token with `world.api(name)`):
- `owner`, `manager`, `practitioner`, `reception`: members of the clinic in those roles;
- `staff` is the practitioner's diary, "Dr Ada Practitioner", working 09:00-18:00 every day and
  performing every clinic service;
- `customer` and `other_customer`: customers with no history (see `treated()` to give them one);
- `outsider`: a practitioner at the other venue, nobody at the clinic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken, Role, User
from pamper.bookings.models import BookingItem, Status
from pamper.catalog.loader import LoadReport, load_catalogue
from pamper.catalog.models import Treatment
from pamper.venues.models import Client, Resource, Service, ServiceKind, Staff, Venue

from .factories import (
    BookingFactory,
    CategoryFactory,
    ContraindicationFactory,
    MembershipFactory,
    ResourceFactory,
    ServiceFactory,
    StaffFactory,
    TreatmentFactory,
    UserFactory,
    VenueFactory,
    client_of,
)
from .snapshot import replayed

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LONDON = "Europe/London"
PEOPLE = ("owner", "manager", "practitioner", "reception", "outsider", "customer", "other_customer")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in March 2026 (London is on GMT in early March, so this is local time too)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


@dataclass
class World:
    venue: Venue
    other_venue: Venue
    room: Resource
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
        """An HTTP client with a session signed in as `who` (a World attribute name)."""
        client = HttpClient()
        client.force_login(getattr(self, who))
        return client

    def client_of(self, user: User, venue: Venue | None = None) -> Client:
        """`user`'s client record at `venue` (the clinic by default), made on first use."""
        return client_of(user, venue or self.venue)

    def treated(self, user: User) -> Client:
        """The clinic's client record for `user`, seen by the practitioner yesterday (an attended facial).

        A practitioner opens only the records of clients they treat (clinical.access);
        tests that have the practitioner act on a client start from here.
        """
        client = self.client_of(user)
        if not BookingItem.objects.filter(booking__client=client, staff=self.staff).exists():
            BookingFactory(client=client, customer=user, service=self.facial_service, staff=self.staff, start=at(1, 10),
                           status=Status.ATTENDED)
        return client


def _treatment(slug: str, name: str, **values: object) -> Treatment:
    defaults = {"summary": f"{name} in a sentence.", "session_minutes": 30, "price_from": Decimal(50),
                "price_to": Decimal(100), "aftercare": ["Keep the area clean.", "Avoid heat for 24 hours."],
                "side_effects": ["Redness"]}
    return TreatmentFactory(slug=slug, name=name, category=CategoryFactory(slug="aesthetics", name="Aesthetics"),
                            **{**defaults, **values})


def _venue(name: str, slug: str) -> Venue:
    return VenueFactory(name=name, slug=slug, kind="clinic", address="1 High Street", latitude=51.5, longitude=-0.12,
                        min_notice_minutes=60, horizon_days=90, phone="020 7946 0000", hours=("09:00", "18:00"))


def _treatments() -> tuple[Treatment, Treatment, Treatment]:
    pregnancy, thinners, dye = (ContraindicationFactory(slug=slug, label=label, question=question) for slug, label,
                                question in [
        ("pregnancy", "Pregnant or breastfeeding", "Are you pregnant or breastfeeding?"),
        ("blood-thinners", "Blood thinners", "Do you take blood-thinning medicine?"),
        ("hair-dye-reaction", "Past reaction to hair dye", "Have you ever reacted to hair dye?"),
    ])
    meso = _treatment("mesotherapy", "Mesotherapy", consultation_required=True, patch_test_lead_hours=24,
                      patch_test_validity_days=180, course_sessions=6, course_interval_days=7, session_minutes=20,
                      contraindications=[pregnancy, thinners])
    hair = _treatment("hair-colour", "Hair colour", patch_test_lead_hours=48, patch_test_validity_days=None,
                      contraindications=[dye])
    return meso, hair, _treatment("facial", "Facial")


def build_world() -> World:
    """The world described at the top of this module, written to the test database."""
    meso, hair, facial = _treatments()
    venue, other = _venue("Harley Skin Clinic", "harley-skin"), _venue("Elsewhere Spa", "elsewhere")

    def offer(treatment: Treatment, kind: str, minutes: int, price: str, name: str, at_venue: Venue = venue) -> Service:
        return ServiceFactory(venue=at_venue, treatment=treatment, kind=kind, name=name, price=Decimal(price),
                              duration_minutes=minutes)

    services = {
        "meso_consult": offer(meso, ServiceKind.CONSULTATION, 30, "0", "Mesotherapy consultation and patch test"),
        "meso_service": offer(meso, ServiceKind.TREATMENT, 20, "150", "Mesotherapy, body"),
        "hair_consult": offer(hair, ServiceKind.CONSULTATION, 15, "0", "Colour patch test"),
        "hair_service": offer(hair, ServiceKind.TREATMENT, 90, "85", "Full head colour"),
        "facial_service": offer(facial, ServiceKind.TREATMENT, 60, "60", "Facial"),
    }
    offer(meso, ServiceKind.TREATMENT, 20, "120", "Mesotherapy", other)
    users = {key: UserFactory(email=f"{key}@example.com", name=key.replace("_", " ").title()) for key in PEOPLE}
    for key, role in [("owner", Role.OWNER), ("manager", Role.MANAGER), ("practitioner", Role.PRACTITIONER),
                      ("reception", Role.RECEPTION)]:
        MembershipFactory(user=users[key], venue=venue, role=role)
    MembershipFactory(user=users["outsider"], venue=other, role=Role.PRACTITIONER)
    staff = StaffFactory(venue=venue, user=users["practitioner"], name="Dr Ada Practitioner",
                         services=services.values(), shifts=[("09:00", "18:00")])
    room = ResourceFactory(venue=venue, name="Treatment room")
    return World(venue=venue, other_venue=other, room=room, meso=meso, hair=hair, facial=facial, staff=staff,
                 **services, **users)


def real_catalogue() -> LoadReport:
    """The project's real catalogue (pamper/catalog/data/) in the test database: loaded by a worker's first test,
    copied back for the next (pamper/tests/snapshot.py). The root `catalogue` fixture."""
    return replayed("catalogue", load_catalogue)

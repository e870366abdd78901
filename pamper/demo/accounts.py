"""The demo logins and the always-present Pamper Demo Clinic in London.

Created through venues.actions like any venue, so the search index and every
rule apply to it. Idempotent: users and the clinic are only created when
missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from pamper.accounts.models import Membership, Role, User
from pamper.catalog.models import Treatment
from pamper.lib import clock
from pamper.payments import actions as payment_actions
from pamper.venues import actions
from pamper.venues.models import Service, ServiceKind, Venue, VenueKind

from .credentials import ensure_demo_credentials
from .offer import nice_price

DEMO_PASSWORD = "pamper-demo"  # noqa: S105 - published demo logins, printed by `make run`
DEMO_CLINIC_SLUG = "pamper-demo-clinic"
# The published logins (`pamper seed --demo` only): `check --deploy` fails while any of them exists.
DEMO_LOGIN_EMAILS = ("customer@example.com", "owner@example.com", "doctor@example.com", "admin@example.com")
LONDON_PREMIUM = Decimal("1.25")


@dataclass(frozen=True)
class DemoUsers:
    customer: User
    owner: User
    doctor: User
    admin: User


def _user(email: str, name: str, *, admin: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        maker = User.objects.create_superuser if admin else User.objects.create_user
        user = maker(email=email, password=DEMO_PASSWORD, name=name)
    return user


def ensure_demo_users() -> DemoUsers:
    """customer@, owner@, doctor@ and admin@example.com, all with the password 'pamper-demo'."""
    return DemoUsers(
        customer=_user("customer@example.com", "Maya Collins"),
        owner=_user("owner@example.com", "Oliver Grant"),
        doctor=_user("doctor@example.com", "Dr Leila Haddad"),
        admin=_user("admin@example.com", "Pamper Admin", admin=True),
    )


def _t(hours: float) -> dt.time:
    return dt.time(int(hours), round(hours % 1 * 60))


def _minutes(treatment: Treatment) -> int:
    return max(20, 5 * round(treatment.session_minutes / 5))


def _typical_price(treatment: Treatment) -> Decimal:
    return nice_price((treatment.price_from + treatment.price_to) / 2 * LONDON_PREMIUM)


def _offer(venue: Venue, treatment: Treatment, position: int, **fields: object) -> Service:
    defaults: dict[str, object] = dict(
        name=treatment.name, price=_typical_price(treatment), duration_minutes=_minutes(treatment), buffer_after=10
    )
    return actions.save_service(venue=venue, treatment=treatment, position=position, **{**defaults, **fields})


def _consultation(venue: Venue, treatment: Treatment, position: int) -> Service:
    label = "Consultation and patch test" if treatment.needs_patch_test else "Consultation"
    return _offer(venue, treatment, position, name=f"{label}: {treatment.name}", kind=ServiceKind.CONSULTATION,
                  price=Decimal("0.00"), duration_minutes=30, buffer_after=5)


def _needle_free(treatment: Treatment) -> str:
    names = [v if isinstance(v, str) else str(v.get("slug") or v.get("name", "")) for v in treatment.variants or []]
    return next((v for v in names if "needle" in v.lower()), "needle-free")


def _services(venue: Venue) -> tuple[list[Service], list[Service], list[Service]]:
    """(doctor's services, nurse's services, skin therapist's services)."""
    meso = Treatment.objects.filter(slug="mesotherapy").first()
    if meso is None:
        raise ImproperlyConfigured("The catalogue has no 'mesotherapy' treatment: load the catalogue first.")
    variant = _needle_free(meso)
    doctor = [
        _offer(venue, meso, 0, price=Decimal("180.00"), duration_minutes=30),
        _offer(venue, meso, 1, name=f"{meso.name} ({variant})", variant=variant, price=Decimal("150.00"),
               duration_minutes=30),
        _consultation(venue, meso, 2),
    ]
    nurse: list[Service] = []
    others = Treatment.objects.filter(category__slug="aesthetics").exclude(pk=meso.pk).order_by("slug")[:6]
    for t in others:
        nurse.append(_offer(venue, t, len(doctor) + len(nurse)))
        if t.has_pathway:
            nurse.append(_consultation(venue, t, len(doctor) + len(nurse)))
    skin = [
        _offer(venue, t, 20 + i)
        for i, t in enumerate(
            Treatment.objects.filter(category__slug="face", consultation_required=False, patch_test_lead_hours=None)
            .order_by("slug")[:2]
        )
    ]
    return doctor, nurse, skin


WEEKDAYS_9_TO_6_WITH_LUNCH = [(d, _t(9), _t(13)) for d in range(5)] + [(d, _t(14), _t(18)) for d in range(5)]


def _staff(venue: Venue, users: DemoUsers, doctor_services: list[Service], nurse_services: list[Service],
           skin_services: list[Service]) -> None:
    doctor = actions.save_staff(venue=venue, name="Dr Leila Haddad", title="Aesthetic doctor", user=users.doctor,
                                services=doctor_services + nurse_services, position=0,
                                bio="A GMC-registered doctor who has worked in aesthetic medicine since 2012.")
    actions.set_shifts(staff=doctor, shifts=WEEKDAYS_9_TO_6_WITH_LUNCH)
    nurse = actions.save_staff(venue=venue, name="Sam Okafor", title="Aesthetic nurse practitioner",
                               services=nurse_services, position=1)
    actions.set_shifts(staff=nurse, shifts=[(d, _t(10), _t(19)) for d in range(5)] + [(5, _t(10), _t(14))])
    if skin_services:
        therapist = actions.save_staff(venue=venue, name="Hannah Price", title="Skin therapist",
                                       services=skin_services, position=2)
        actions.set_shifts(staff=therapist, shifts=[(d, _t(10), _t(18)) for d in range(1, 5)] + [(5, _t(10), _t(14))])


def ensure_demo_clinic(users: DemoUsers) -> Venue:
    """Pamper Demo Clinic, London: mesotherapy with and without needles, a doctor, a nurse, a skin therapist."""
    existing = Venue.objects.filter(slug=DEMO_CLINIC_SLUG).first()
    if existing is not None:
        ensure_demo_payments(existing)
        return existing
    with actions.reindexed_once():  # search reads the finished clinic once, not after each of its 28 writes
        return _new_demo_clinic(users)


def _new_demo_clinic(users: DemoUsers) -> Venue:
    venue = actions.create_venue(
        name="Pamper Demo Clinic", slug=DEMO_CLINIC_SLUG, kind=VenueKind.CLINIC,
        address="38 Wimpole Street, Marylebone", city="London", postcode="W1G 8SB", country="GB", latitude=51.51943,
        longitude=-0.14813, timezone="Europe/London", currency="GBP", phone="+44 20 7946 0100",
        email="clinic@example.com", description=(
            "The clinic Pamper's demo runs on. Every injectable treatment starts with a consultation with our "
            "doctor, a medical history and, for mesotherapy, a small test injection followed by at least 24 hours "
            "of waiting before the first session. We also offer mesotherapy without needles, delivered with an "
            "electric roller. Step-free access from Wimpole Street."
        ),
        owner=users.owner, min_notice_minutes=120, cancel_notice_hours=48,
    )
    Membership.objects.get_or_create(user=users.doctor, venue=venue, defaults={"role": Role.PRACTITIONER})
    actions.set_opening_hours(venue=venue, hours=[(d, _t(9), _t(19)) for d in range(5)] + [(5, _t(10), _t(14))])
    _staff(venue, users, *_services(venue))
    ensure_demo_credentials(venue, users.owner, clock.now().astimezone(venue.tz).date())
    ensure_demo_payments(venue)
    return venue


def ensure_demo_payments(venue: Venue) -> None:
    """The clinic takes a 20% deposit on every paid service (consultations stay free), keeps it for a
    cancellation inside 48 hours and charges 50% for a no-show (with Stripe keys set, or localstripe in the demo)."""
    payment_actions.set_policy(venue=venue, values={
        "mode": "deposit", "deposit_kind": "percent", "deposit_value": Decimal(20), "free_cancel_hours": 48,
        "late_fee_kind": "percent", "late_fee_value": Decimal(20), "no_show_fee_kind": "percent",
        "no_show_fee_value": Decimal(50), "consultations_free": True})


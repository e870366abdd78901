"""Pamper Demo Clinic shows who may treat: the doctor and the nurse prescriber give anti-wrinkle injections, the
aesthetic practitioner only under her recorded supervision, the skin therapist is not offered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from pamper.bookings.queries import active_staff, staff_for_all
from pamper.catalog.loader import load_catalogue
from pamper.demo.accounts import ensure_demo_clinic, ensure_demo_users
from pamper.practitioners.models import Credential, Kind
from pamper.venues.models import Service, Venue

NOW = dt.datetime(2026, 5, 4, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(db) -> Iterator[tuple[Venue, Service]]:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        load_catalogue()
        venue = ensure_demo_clinic(ensure_demo_users())
        yield venue, Service.objects.get(venue=venue, treatment__slug="anti-wrinkle-injections", kind="treatment")


def _offered(client, venue: Venue, service: Service) -> set[str]:  # type: ignore[no-untyped-def]
    params = {"services": str(service.id), "from": "2026-05-05", "to": "2026-05-08"}
    slots = client.get(f"/api/v1/venues/{venue.id}/availability", params).json()["slots"]
    ids = {s for slot in slots for s in slot["staff_ids"]}
    return set(venue.staff.filter(id__in=ids).values_list("title", flat=True))


def test_the_demo_clinic_offers_only_qualified_injectors(client, demo) -> None:
    venue, botox = demo
    assert venue.staff.filter(title="Skin therapist", services=botox).exists()  # listed for it...
    assert _offered(client, venue, botox) == {"Aesthetic doctor", "Aesthetic nurse practitioner",
                                              "Aesthetic practitioner"}  # ...but never offered
    with time_machine.travel(NOW, tick=False):  # who the booking page offers by name for the injections
        named = {s.name for s in staff_for_all(active_staff(venue), [botox])}
    assert named == {"Dr Leila Haddad", "Sam Okafor", "Mia Laurent"}


def test_the_aesthetic_practitioner_depends_on_her_recorded_supervision(client, demo) -> None:
    venue, botox = demo
    Credential.objects.filter(venue=venue, kind=Kind.SUPERVISION).delete()
    assert "Aesthetic practitioner" not in _offered(client, venue, botox)


def test_the_venue_page_names_verified_registrations(client, demo) -> None:
    venue, _botox = demo
    page = client.get(venue.get_absolute_url()).content.decode()
    assert "Nurse, NMC registered, verified" in page and "Doctor, GMC registered, verified" in page

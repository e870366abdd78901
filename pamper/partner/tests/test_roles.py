"""Who sees what: practitioners see the clients they treat, reception never reaches clinical records."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.tests.factories import ClientFactory
from pamper.venues.models import Client

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


def as_(browser: Browser, person) -> Browser:  # type: ignore[no-untyped-def]
    browser.force_login(person)
    return browser


@pytest.fixture
def two_clients(rose: Salon) -> tuple[Client, Client]:
    """Clara sees Ana (the practitioner with an account); Olly only ever sees Ben."""
    olly = ClientFactory(venue=rose.venue, name="Olly Other", phone="0799")
    factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ben, client=olly)
    return rose.client, olly


def test_a_practitioner_lists_only_the_clients_they_treat(client: Browser, rose: Salon, two_clients) -> None:  # type: ignore[no-untyped-def]
    clara, olly = two_clients
    html = as_(client, rose.practitioner).get(f"/partner/{rose.venue.pk}/clients/").content.decode()
    assert "Clara Rose" in html and "Olly Other" not in html
    assert client.get(f"/partner/{rose.venue.pk}/clients/{olly.pk}/").status_code == 404
    page = client.get(f"/partner/{rose.venue.pk}/clients/{clara.pk}/").content.decode()
    assert f"/partner/clinical/{rose.venue.pk}/clients/{clara.pk}/" in page
    assert 'name="name"' not in page  # practitioners read, the front desk edits


def test_reception_sees_every_client_and_no_clinical_link(client: Browser, rose: Salon, two_clients) -> None:  # type: ignore[no-untyped-def]
    clara, _ = two_clients
    html = as_(client, rose.reception).get(f"/partner/{rose.venue.pk}/clients/").content.decode()
    assert "Clara Rose" in html and "Olly Other" in html
    page = client.get(f"/partner/{rose.venue.pk}/clients/{clara.pk}/").content.decode()
    assert "Clinical records" not in page and "/partner/clinical/" not in page
    booking = clara.bookings.get()
    panel = client.get(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/").content.decode()
    assert "Clara Rose" in panel and "/partner/clinical/" not in panel


def test_managers_see_clinical_links_and_edit_clients(client: Browser, rose: Salon, two_clients) -> None:  # type: ignore[no-untyped-def]
    clara, _ = two_clients
    page = as_(client, rose.manager).get(f"/partner/{rose.venue.pk}/clients/{clara.pk}/").content.decode()
    assert "Clinical records" in page
    client.post(f"/partner/{rose.venue.pk}/clients/{clara.pk}/",
                {"name": "Clara R.", "phone": "07700 900700", "email": "", "notes": "Likes mint tea"})
    clara.refresh_from_db()
    assert (clara.name, clara.notes) == ("Clara R.", "Likes mint tea")


def test_client_search_by_phone(client: Browser, rose: Salon, two_clients) -> None:  # type: ignore[no-untyped-def]
    html = as_(client, rose.reception).get(f"/partner/{rose.venue.pk}/clients/?q=0799").content.decode()
    assert "Olly Other" in html and "Clara Rose" not in html


def test_practitioners_cannot_edit_clients(client: Browser, rose: Salon, two_clients) -> None:  # type: ignore[no-untyped-def]
    clara, _ = two_clients
    response = as_(client, rose.practitioner).post(f"/partner/{rose.venue.pk}/clients/{clara.pk}/", {"name": "Hacked"})
    assert response.status_code == 403
    clara.refresh_from_db()
    assert clara.name == "Clara Rose"


def test_the_nav_shows_only_what_the_role_may_open(client: Browser, rose: Salon) -> None:
    desk = as_(client, rose.reception).get(f"/partner/{rose.venue.pk}/calendar/").content.decode()
    assert "Clients" in desk and ">Services<" not in desk and ">Team<" not in desk
    boss = as_(client, rose.owner).get(f"/partner/{rose.venue.pk}/calendar/").content.decode()
    assert ">Services<" in boss and ">Team<" in boss

"""Onboarding and the editors: venue, services and prices, staff, shifts, time off, hours, closures, policies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as Browser

from pamper.accounts.models import Membership, Role
from pamper.tests.factories import MembershipFactory
from pamper.venues.models import Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


def as_(browser: Browser, person) -> Browser:  # type: ignore[no-untyped-def]
    browser.force_login(person)
    return browser


def new_venue(browser: Browser, **fields: str):  # type: ignore[no-untyped-def]
    data = {"name": "Lumen Skin", "kind": "clinic", "address": "4 Rue Oberkampf", "city": "Paris", "postcode": "75011",
            "country": "FR", "latitude": "", "longitude": "", "timezone": "", "currency": "", **fields}
    return browser.post("/partner/venues/new/", data)


def test_an_owner_creates_a_venue_with_zone_and_currency_from_the_country(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user("lea@example.com", "Léa")
    response = new_venue(as_(client, owner), latitude="48.8647", longitude="2.3790")
    venue = Venue.objects.get(name="Lumen Skin")
    assert response.status_code == 302 and response["Location"] == f"/partner/{venue.pk}/"
    assert venue.timezone == "Europe/Paris" and venue.currency == "EUR"
    assert (venue.latitude, venue.longitude) == (48.8647, 2.379)
    assert not venue.is_published
    assert Membership.objects.get(venue=venue).user == owner and Membership.objects.get(venue=venue).role == Role.OWNER


def test_without_a_pin_the_city_centre_is_used(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    new_venue(as_(client, factories.user("a@example.com")))
    venue = Venue.objects.get()
    assert abs(venue.latitude - 48.85) < 0.1 and abs(venue.longitude - 2.35) < 0.1


def test_an_unknown_city_without_a_pin_asks_for_the_map(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    response = new_venue(as_(client, factories.user("b@example.com")), city="Nowhereville")
    assert response.status_code == 400 and "put a pin on the map" in response.content.decode()
    assert not Venue.objects.exists()


def test_the_onboarding_page_carries_country_hints_for_its_script(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    html = as_(client, factories.user("c@example.com")).get("/partner/venues/new/").content.decode()
    assert 'id="country-hints"' in html and '"Europe/Madrid"' in html and 'id="venue-map"' in html


def test_publishing_needs_hours_and_a_service(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user("d@example.com")
    new_venue(as_(client, owner), latitude="48.86", longitude="2.37")
    venue = Venue.objects.get()
    client.post(f"/partner/{venue.pk}/publish/", {"publish": "1"})
    venue.refresh_from_db()
    assert not venue.is_published
    client.post(f"/partner/{venue.pk}/hours/new/", {"weekday": "1", "opens": "09:00", "closes": "17:00"})
    client.post(f"/partner/{venue.pk}/services/new/", {
        "treatment": factories.treatment().pk, "kind": "treatment", "name": "Hydrafacial", "price": "89.50",
        "duration_minutes": "45", "buffer_before": "0", "buffer_after": "10", "online_bookable": "on",
        "is_active": "on", "position": "0",
    })
    client.post(f"/partner/{venue.pk}/publish/", {"publish": "1"})
    venue.refresh_from_db()
    assert venue.is_published


def test_add_a_service_with_a_price_and_who_performs_it(client: Browser, rose: Salon) -> None:
    response = as_(client, rose.manager).post(f"/partner/{rose.venue.pk}/services/new/", {
        "treatment": rose.facial.treatment_id, "kind": "treatment", "name": "Deluxe Facial", "price": "72.50",
        "duration_minutes": "90", "buffer_before": "5", "buffer_after": "10", "online_bookable": "on",
        "is_active": "on", "position": "1", "staff": [rose.ben.pk],
    })
    assert response.status_code == 302
    service = Service.objects.get(name="Deluxe Facial")
    assert service.price == Decimal("72.50") and service.currency == "GBP" and service.venue == rose.venue
    assert list(service.staff.all()) == [rose.ben]
    listing = client.get(f"/partner/{rose.venue.pk}/services/").content.decode()
    assert "Deluxe Facial" in listing and "£72.50" in listing


def test_a_bad_price_is_refused_and_nothing_saved(client: Browser, rose: Salon) -> None:
    response = as_(client, rose.owner).post(f"/partner/{rose.venue.pk}/services/{rose.facial.pk}/", {
        "treatment": rose.facial.treatment_id, "kind": "treatment", "name": "Rose Facial", "price": "-3",
        "duration_minutes": "60", "buffer_before": "0", "buffer_after": "0", "position": "0",
    })
    assert response.status_code == 400
    rose.facial.refresh_from_db()
    assert rose.facial.price == Decimal("45.00")


def test_a_booked_service_is_switched_off_rather_than_deleted(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0))
    url = f"/partner/{rose.venue.pk}/services/{rose.facial.pk}/delete/"
    assert as_(client, rose.owner).post(url).status_code == 409  # the booking is still to come: asked first
    client.post(url, {"confirm": str(booking.pk)})
    rose.facial.refresh_from_db()
    assert not rose.facial.is_active


def test_add_staff_then_a_shift(client: Browser, rose: Salon) -> None:
    response = as_(client, rose.owner).post(f"/partner/{rose.venue.pk}/staff/new/", {
        "name": "Cara New", "title": "Therapist", "bio": "", "services": [rose.facial.pk], "is_active": "on",
        "position": "2",
    })
    cara = Staff.objects.get(name="Cara New")
    assert response.status_code == 302 and response["Location"] == f"/partner/{rose.venue.pk}/staff/{cara.pk}/schedule/"
    assert list(cara.services.all()) == [rose.facial]
    client.post(f"/partner/{rose.venue.pk}/staff/{cara.pk}/shifts/new/",
                {"weekday": "2", "start": "10:00", "end": "16:00"})
    shift = Shift.objects.get(staff=cara)
    assert (shift.weekday, shift.start, shift.end) == (2, dt.time(10), dt.time(16))
    overlap = client.post(f"/partner/{rose.venue.pk}/staff/{cara.pk}/shifts/new/",
                          {"weekday": "2", "start": "15:00", "end": "18:00"})
    assert overlap.status_code == 400 and "already works 10:00–16:00" in overlap.content.decode()
    assert Shift.objects.filter(staff=cara).count() == 1


def test_time_off_is_entered_in_local_time_and_stored_in_utc(client: Browser, rose: Salon) -> None:
    as_(client, rose.owner).post(f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/time-off/new/", {
        "start_date": "2026-05-08", "start_time": "09:00", "end_date": "2026-05-08", "end_time": "13:00",
        "reason": "Training",
    })
    off = TimeOff.objects.get(staff=rose.ana)
    assert (off.start, off.end) == (utc(2026, 5, 8, 8, 0), utc(2026, 5, 8, 12, 0))
    page = client.get(f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/schedule/").content.decode()
    assert "Fri 8 May 2026, 09:00" in page and "Training" in page


def test_opening_hours_and_closures(client: Browser, rose: Salon) -> None:
    as_(client, rose.owner)
    bad = client.post(f"/partner/{rose.venue.pk}/hours/new/", {"weekday": "0", "opens": "17:00", "closes": "20:00"})
    assert bad.status_code == 400  # overlaps Monday 09:00-18:00
    hours = OpeningHours.objects.get(venue=rose.venue, weekday=0)
    client.post(f"/partner/{rose.venue.pk}/hours/{hours.pk}/delete/")
    assert not OpeningHours.objects.filter(venue=rose.venue, weekday=0).exists()
    client.post(f"/partner/{rose.venue.pk}/closures/new/",
                {"start_date": "2026-05-25", "end_date": "2026-05-25", "reason": "Bank holiday"})
    assert Closure.objects.get(venue=rose.venue).reason == "Bank holiday"
    day = client.get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-25").content.decode()
    assert "closed this day: Bank holiday" in day


def test_policies_are_saved(client: Browser, rose: Salon) -> None:
    as_(client, rose.owner).post(f"/partner/{rose.venue.pk}/policies/", {
        "slot_minutes": "30", "min_notice_minutes": "120", "horizon_days": "30", "cancel_notice_hours": "48",
        "reminder_lead_hours": "24",
    })
    rose.venue.refresh_from_db()
    assert (rose.venue.slot_minutes, rose.venue.min_notice_minutes, rose.venue.horizon_days) == (30, 120, 30)
    assert rose.venue.cancel_notice_hours == 48 and rose.venue.auto_confirm is False


def test_reception_and_practitioners_cannot_open_the_editors(client: Browser, rose: Salon) -> None:
    for person in (rose.reception, rose.practitioner):
        as_(client, person)
        for path in ("services/", "staff/", "hours/", "policies/", "team/", "settings/"):
            assert client.get(f"/partner/{rose.venue.pk}/{path}").status_code == 403
        assert client.get(f"/partner/{rose.venue.pk}/calendar/").status_code == 200


def test_one_person_in_two_venues_switches_between_them(client: Browser, rose: Salon, iris: Salon) -> None:
    MembershipFactory(user=rose.owner, venue=iris.venue, role=Role.RECEPTION)
    as_(client, rose.owner)
    index = client.get("/partner/").content.decode()
    assert "Rose Studio" in index and "Iris Studio" in index
    calendar = client.get(f"/partner/{iris.venue.pk}/calendar/").content.decode()
    assert "Switch venue" in calendar and "Reception" in calendar
    assert client.get(f"/partner/{iris.venue.pk}/services/").status_code == 403
    assert client.get(f"/partner/{rose.venue.pk}/services/").status_code == 200


def test_a_new_venue_opens_on_its_checklist(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user("e@example.com")
    new_venue(as_(client, owner), latitude="48.86", longitude="2.37")
    venue = Venue.objects.get()
    html = client.get(f"/partner/{venue.pk}/").content.decode()
    assert "Get Lumen Skin ready" in html and "Set your opening hours." in html and "disabled" in html
    assert client.get("/partner/").status_code == 302  # one venue: straight to it


def test_the_set_up_steps_and_the_publish_messages_read_in_the_owners_language(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    """The checklist's missing steps and the publish outcome were English sentences on German pages."""
    owner = factories.user("f@example.com")
    new_venue(as_(client, owner), latitude="48.86", longitude="2.37")
    venue = Venue.objects.get()
    settings_page = client.get(f"/de/partner/{venue.pk}/settings/").content.decode()
    assert "Legen Sie Ihre Öffnungszeiten fest." in settings_page and "Set your opening hours." not in settings_page
    assert "mindestens eine Leistung mit Preis" in settings_page
    refused = client.post(f"/fr/partner/{venue.pk}/publish/", {"publish": "1"}, follow=True).content.decode()
    assert "Indiquez vos horaires d'ouverture." in refused or "Indiquez vos horaires d&#x27;ouverture." in refused
    hidden = client.post(f"/it/partner/{venue.pk}/publish/", {"publish": "0"}, follow=True).content.decode()
    assert "Lumen Skin non compare più nella ricerca." in hidden and "hidden from search" not in hidden

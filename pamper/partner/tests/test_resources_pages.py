"""Rooms and devices: add, rename and delete them; a service that needs one is only offered when it is free."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as Browser

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Source
from pamper.tests.factories import ResourceFactory, ServiceFactory
from pamper.venues.models import Resource, Service

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def salon() -> Salon:
    return factories.salon("Rose")


def owner(s: Salon) -> Browser:
    browser = Browser()
    browser.force_login(s.owner)
    return browser


def url(s: Salon, tail: str = "") -> str:
    return f"/partner/{s.venue.pk}/rooms/{tail}"


def test_add_rename_and_list_rooms_with_the_services_that_need_them(salon: Salon) -> None:
    browser = owner(salon)
    assert browser.post(url(salon, "new/"), {"name": "  Laser   room ", "kind": "device"}).status_code == 302
    laser = Resource.objects.get(venue=salon.venue)
    assert (laser.name, laser.kind) == ("Laser room", "device")
    duplicate = browser.post(url(salon, "new/"), {"name": "laser ROOM", "kind": "room"})
    assert duplicate.status_code == 400 and "already has a room or device called" in duplicate.content.decode()
    assert browser.post(url(salon, "new/"), {"name": "", "kind": "room"}).status_code == 400
    assert browser.post(url(salon, f"{laser.pk}/"), {"name": "Laser", "kind": "device"}).status_code == 302
    Service.objects.filter(pk=salon.facial.pk).update(resource=laser)
    page = browser.get(url(salon)).content.decode()
    assert 'value="Laser"' in page and salon.facial.name in page
    assert Resource.objects.count() == 1


def test_a_room_is_never_double_booked_and_deleting_it_frees_the_service(salon: Salon) -> None:
    room = ResourceFactory(venue=salon.venue, name="Room 1")
    Service.objects.filter(pk=salon.facial.pk).update(resource=room)
    salon.facial.refresh_from_db()
    start = utc(2026, 5, 6, 10, 0)
    booking_actions.book_visit(venue=salon.venue, services=[salon.facial], start=start, client=salon.client,
                               staff=salon.ana, source=Source.PARTNER, now=start - dt.timedelta(days=1))
    with pytest.raises(Exception) as taken:  # Ben is free, the only room is not
        booking_actions.book_visit(venue=salon.venue, services=[salon.facial], start=start, client=salon.client,
                                   staff=salon.ben, source=Source.PARTNER, now=start - dt.timedelta(days=1))
    assert getattr(taken.value, "code", "") == "slot_taken"
    # Booked once, the room stays (its history points at it) and says so.
    response = owner(salon).post(url(salon, f"{room.pk}/delete/"))
    assert response.status_code == 302 and Resource.objects.filter(pk=room.pk).exists()
    unused = ResourceFactory(venue=salon.venue, name="Room 2")
    ServiceFactory(venue=salon.venue, treatment=salon.facial.treatment, name="Rose Peel", price="30.00",
                   currency="GBP", duration_minutes=30, resource=unused)
    owner(salon).post(url(salon, f"{unused.pk}/delete/"))
    assert not Resource.objects.filter(pk=unused.pk).exists()
    assert Service.objects.get(name="Rose Peel").resource is None


def test_only_the_set_up_roles_edit_rooms_and_never_another_venues(salon: Salon) -> None:
    other = factories.salon("Iris")
    theirs = ResourceFactory(venue=other.venue, name="Iris secret room")
    desk = Browser()
    desk.force_login(salon.reception)
    assert desk.get(url(salon)).status_code == 403
    assert desk.post(url(salon, "new/"), {"name": "Room", "kind": "room"}).status_code == 403
    browser = owner(salon)
    for path in (f"/partner/{salon.venue.pk}/rooms/{theirs.pk}/",
                 f"/partner/{salon.venue.pk}/rooms/{theirs.pk}/delete/"):
        response = browser.post(path, {"name": "Mine now", "kind": "room"})
        assert response.status_code == 404 and b"Iris secret room" not in response.content
    theirs.refresh_from_db()
    assert theirs.name == "Iris secret room"
    assert browser.get(f"/partner/{other.venue.pk}/rooms/").status_code == 404

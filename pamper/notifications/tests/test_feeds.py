"""Private calendar feeds: secret, revocable, current, and showing only what the subscriber owns."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
import time_machine
from django.urls import reverse

from pamper.notifications.models import CalendarFeed, hash_feed_token
from pamper.tests.factories import ClientFactory, StaffFactory, UserFactory

from .helpers import book, cancel, make_staff, move, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 9, 0)
START = utc(2026, 6, 10, 13, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def token_of(url: str) -> str:
    return re.search(r"/calendar/([^/]+)\.ics$", url).group(1)


def fetch(client, token: str) -> icalendar.Calendar:
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def issue(client, user, **form) -> str:
    client.force_login(user)
    response = client.post(reverse("notifications:feed_create"), form)
    assert response.status_code == 200
    url = re.search(r'<code class="feed-url">([^<]+)</code>', response.content.decode()).group(1)
    client.logout()
    return token_of(url)


def test_a_customer_feed_follows_moves_and_drops_cancellations(client, world):
    booking = book(world, START)
    other = book(world, START + dt.timedelta(days=1))
    token = issue(client, world.customer, scope="customer")

    events = fetch(client, token).walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    assert str(first["SUMMARY"]) == f"Glow peel at {world.venue.name}"
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert first.start == START

    move(booking, START + dt.timedelta(hours=2))
    moved = next(e for e in fetch(client, token).walk("VEVENT") if str(e["UID"]) == str(first["UID"]))
    assert moved.start == START + dt.timedelta(hours=2)
    assert moved["SEQUENCE"] > first["SEQUENCE"]

    cancel(other, world.customer)
    assert [str(e["UID"]) for e in fetch(client, token).walk("VEVENT")] == [str(first["UID"])]


def test_the_feed_holds_only_the_subscribers_own_bookings(client, world):

    book(world, START)
    stranger = UserFactory(email="stranger@example.com", password="x-pass-123456", name="Sam Stranger")
    world.client = ClientFactory(venue=world.venue, user=stranger, name="Sam Stranger", email=stranger.email)
    world.customer = stranger
    book(world, START + dt.timedelta(hours=3))
    token = issue(client, stranger, scope="customer")
    body = client.get(f"/calendar/{token}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "Casey" not in body


def test_a_staff_feed_shows_own_appointments_without_client_names(client, world):
    book(world, START)
    colleague = make_staff(world.venue, "Robin", [world.service])
    book(world, START + dt.timedelta(hours=2), staff=colleague)  # Robin's: not in Pat's diary

    token = issue(client, world.staff_user, scope="staff", staff=world.staff.pk)
    body = client.get(f"/calendar/{token}.ics").content.decode()
    cal = icalendar.Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Booking: Glow peel"
    assert event.start == START
    for secret in ("Casey", "Smithson", world.customer.email):
        assert secret not in body


def test_only_ones_own_staff_diary_can_be_subscribed(client, world):
    other = StaffFactory(venue=world.venue, name="Robin")
    client.force_login(world.staff_user)
    response = client.post(reverse("notifications:feed_create"), {"scope": "staff", "staff": other.pk})
    assert response.status_code == 400
    assert "Choose one of your own staff diaries." in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_a_staff_feed_stops_when_the_person_leaves_the_staff_profile(client, world):
    token = issue(client, world.staff_user, scope="staff", staff=world.staff.pk)
    world.staff.user = None
    world.staff.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_only_a_hash_of_the_token_is_stored_and_revoking_or_renewing_kills_the_old_address(client, world):
    token = issue(client, world.customer, scope="customer")
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hash_feed_token(token)
    assert token not in {feed.token_hash, feed.prefix}

    renewed = issue(client, world.customer, scope="customer")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{renewed}.ics").status_code == 200

    client.force_login(world.customer)
    live = CalendarFeed.objects.active().get()
    response = client.post(reverse("notifications:feed_revoke", args=[live.pk]))
    assert response.status_code == 302
    assert client.get(f"/calendar/{renewed}.ics").status_code == 404


def test_unknown_tokens_and_other_peoples_feeds_are_not_found(client, world):
    assert client.get("/calendar/nonsense.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 200}.ics").status_code == 404
    issue(client, world.customer, scope="customer")
    feed = CalendarFeed.objects.get()
    client.force_login(world.owner)
    assert client.post(reverse("notifications:feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_a_fetch_is_noted_for_the_owner(client, world):
    token = issue(client, world.customer, scope="customer")
    fetch(client, token)
    assert CalendarFeed.objects.get().last_fetched_at == NOW

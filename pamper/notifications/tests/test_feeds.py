"""Private calendar feeds: secret, revocable, current, and showing only what the subscriber owns."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from pamper.notifications import ics
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
    assert "TZID" not in first["DTSTART"].params  # UTC: one instant for every calendar application
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


LONDON_ZONE = zoneinfo.ZoneInfo("Europe/London")


def _instants(cal: icalendar.Calendar) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each event's start and end as UTC instants, the way any calendar application must read them."""
    return sorted((e.start.astimezone(dt.UTC), e.end.astimezone(dt.UTC)) for e in cal.walk("VEVENT"))


def test_a_visit_on_either_daylight_saving_day_keeps_its_instant_in_the_feed(client, world):
    # 10:00 local on the day the clocks go back (25 October 2026) and on the day they go forward (28 March 2027).
    autumn = dt.datetime(2026, 10, 25, 10, 0, tzinfo=LONDON_ZONE)
    spring = dt.datetime(2027, 3, 28, 10, 0, tzinfo=LONDON_ZONE)
    for start in (autumn, spring):
        with time_machine.travel(start - dt.timedelta(days=7), tick=False):  # inside the venue's booking horizon
            book(world, start.astimezone(dt.UTC))
    token = issue(client, world.customer, scope="customer")

    hour = dt.timedelta(hours=1)
    calendar = fetch(client, token)
    assert _instants(calendar) == [
        (utc(2026, 10, 25, 10, 0), utc(2026, 10, 25, 10, 0) + hour),
        (utc(2027, 3, 28, 9, 0), utc(2027, 3, 28, 9, 0) + hour),
    ]
    # The instants are UTC; the venue's own clock is named in words, for a reader whose calendar runs on another.
    assert [str(e["DESCRIPTION"]).split("\n")[0] for e in calendar.walk("VEVENT")] == [
        "Sun 25 Oct, 10:00–11:00 GMT", "Sun 28 Mar, 10:00–11:00 BST"]


def test_a_staff_feed_names_the_venues_clock_in_each_description(client, world):
    book(world, START)
    token = issue(client, world.staff_user, scope="staff", staff=world.staff.pk)
    [event] = fetch(client, token).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "Wed 10 Jun, 14:30–15:30 BST"


@pytest.mark.parametrize(("start", "said"), [
    (utc(2026, 10, 25, 0, 30), "Sun 25 Oct, 01:30 BST – Sun 25 Oct, 01:30 GMT"),  # ends in the repeated hour
    (utc(2026, 10, 25, 1, 15), "Sun 25 Oct, 01:15–02:15 GMT"),
    (utc(2027, 3, 28, 0, 30), "Sun 28 Mar, 00:30 GMT – Sun 28 Mar, 02:30 BST"),  # across the missing hour
    (utc(2026, 6, 10, 22, 30), "Wed 10 Jun, 23:30 BST – Thu 11 Jun, 00:30 BST"),  # past midnight
])
def test_a_visit_across_a_clock_change_or_midnight_is_written_out_at_both_ends(start, said):
    entry = ics.CalendarEntry(uid="booking-1@pamper.localhost", start=start, end=start + dt.timedelta(hours=1),
                              summary="Glow peel", description="Manage this booking: https://pamper.example/b/1",
                              zone="Europe/London")
    [event] = icalendar.Calendar.from_ical(ics.single(entry, stamp=NOW)).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == f"{said}\n\nManage this booking: https://pamper.example/b/1"


@pytest.mark.parametrize("start", [
    utc(2026, 10, 25, 0, 30),  # 01:30 BST, ending at 01:30 GMT: the repeated hour, start in its first pass
    utc(2026, 10, 25, 1, 15),  # 01:15 GMT: the second pass of the repeated hour
    utc(2027, 3, 28, 0, 30),   # 00:30 GMT, ending at 02:30 BST: across the missing hour
    utc(2027, 3, 28, 9, 0),    # 10:00 BST on the day the clocks go forward
])
def test_every_calendar_file_keeps_each_instant_across_both_changes(start):
    end = start + dt.timedelta(hours=1)
    entry = ics.CalendarEntry(uid="booking-1@pamper.localhost", start=start, end=end, summary="Glow peel")
    for body in (ics.single(entry, stamp=NOW), ics.feed([entry], name="Pamper", stamp=NOW),
                 ics.invitation(entry, organizer=("Glow", "desk@glow.example"), attendee=("Casey", "c@example.com"),
                                cancel=False, stamp=NOW)):
        assert _instants(icalendar.Calendar.from_ical(body)) == [(start, end)]

"""Leaving a venue (removed by the team, or leaving oneself) ends every feed and every token's reach there at once."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken, Membership, Role
from pamper.notifications.models import CalendarFeed

from .world import World

pytestmark = pytest.mark.django_db


def feed_path(url: str) -> str:
    return url[url.index("/calendar/"):]


def diary_feed(api: HttpClient, world: World):  # type: ignore[no-untyped-def]
    return api.post("/api/v1/notifications/feeds", json.dumps({"scope": "staff", "staff_id": world.staff.pk}),
                    content_type="application/json")


def reads_the_venue(api: HttpClient, world: World) -> dict[str, int]:
    """Status of what the token reads at the venue: its list of venues, a booking, a client's clinical record."""
    venues = api.get("/api/v1/partner/venues")
    return {
        "listed": int(any(v["id"] == world.venue.pk for v in venues.json())) if venues.status_code == 200 else 0,
        "booking": api.get(f"/api/v1/partner/venues/{world.venue.pk}/bookings/{world.upcoming.pk}").status_code,
        "record": api.get(f"/api/v1/clinical/venues/{world.venue.pk}/clients/{world.client.pk}").status_code,
    }


@pytest.fixture
def practitioner_api(world: World) -> HttpClient:
    _, raw = ApiToken.issue(world.practitioner, name="diary app")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_removed_practitioner_loses_the_diary_feed_and_the_venue_at_once(world: World,
                                                                           practitioner_api: HttpClient) -> None:
    made = diary_feed(practitioner_api, world)
    assert made.status_code == 201
    url = feed_path(made.json()["url"])
    assert HttpClient().get(url).status_code == 200
    assert reads_the_venue(practitioner_api, world) == {"listed": 1, "booking": 200, "record": 200}

    owner = HttpClient()
    owner.force_login(world.owner)
    membership = Membership.objects.get(user=world.practitioner, venue=world.venue)
    assert owner.post(f"/partner/{world.venue.pk}/team/members/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()

    assert HttpClient().get(url).status_code == 404
    assert not CalendarFeed.objects.active().filter(user=world.practitioner, staff=world.staff).exists()
    assert reads_the_venue(practitioner_api, world) == {"listed": 0, "booking": 404, "record": 404}
    assert diary_feed(practitioner_api, world).status_code == 404  # and no new one
    page = HttpClient()
    page.force_login(world.practitioner)
    assert world.venue.name not in page.get("/accounts/notifications/").content.decode()


def test_a_member_who_leaves_loses_the_diary_feed(world: World) -> None:
    Membership.objects.filter(user=world.practitioner, venue=world.venue).update(role=Role.MANAGER)
    browser = HttpClient()
    browser.force_login(world.practitioner)
    made = diary_feed(browser, world)
    assert made.status_code == 201
    url = feed_path(made.json()["url"])
    membership = Membership.objects.get(user=world.practitioner, venue=world.venue)
    assert browser.post(f"/partner/{world.venue.pk}/team/members/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert HttpClient().get(url).status_code == 404


def test_a_feed_dies_with_the_membership_however_it_ends(world: World, practitioner_api: HttpClient) -> None:
    """Even a membership deleted outside the team page (the admin, a script) leaves the feed dead."""
    url = feed_path(diary_feed(practitioner_api, world).json()["url"])
    Membership.objects.filter(user=world.practitioner, venue=world.venue).delete()
    assert HttpClient().get(url).status_code == 404


def test_a_refused_removal_keeps_the_feeds(world: World) -> None:
    """The last owner cannot leave: nothing is revoked either (the revocation is in the removal's transaction)."""
    world.staff.user = world.owner
    world.staff.save(update_fields=["user"])
    owner = HttpClient()
    owner.force_login(world.owner)
    url = feed_path(diary_feed(owner, world).json()["url"])
    membership = Membership.objects.get(user=world.owner, venue=world.venue)
    owner.post(f"/partner/{world.venue.pk}/team/members/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert HttpClient().get(url).status_code == 200

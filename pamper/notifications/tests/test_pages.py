"""The email settings page and the JSON API behind it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pamper.accounts.models import ApiToken
from pamper.notifications.models import CalendarFeed, Preference

pytestmark = pytest.mark.django_db


def test_the_settings_page_needs_a_login(client):
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_switching_emails_off_and_back_on(client, world):
    client.force_login(world.customer)
    page = client.get("/accounts/notifications/").content.decode()
    assert "Reminders before an appointment" in page
    assert "Always sent" in page and "Patch-test result" in page and "Aftercare advice" in page
    assert "venues where I work" not in page  # not a venue owner or manager

    response = client.post("/accounts/notifications/", {"booking_updates": "on", "checkins": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.customer)
    assert (pref.booking_updates, pref.reminders, pref.checkins, pref.review_requests) == (True, False, True, False)
    page = client.get("/accounts/notifications/").content.decode()
    assert "Your email settings are saved." in page


def test_owners_see_the_venue_switch(client, world):
    client.force_login(world.owner)
    assert "venues where I work" in client.get("/accounts/notifications/").content.decode()


def test_the_new_feed_address_is_shown_once(client, world):
    client.force_login(world.customer)
    first = client.post(reverse("notifications:feed_create"), {"scope": "customer"}).content.decode()
    assert "Copy this address now." in first
    later = client.get("/accounts/notifications/").content.decode()
    assert "Copy this address now." not in later
    assert CalendarFeed.objects.get().prefix in later


def test_bad_feed_form_input_is_a_400_that_changes_nothing(client, world):
    client.force_login(world.customer)
    for data in ({"scope": "everyone"}, {"scope": "staff", "staff": "abc"}, {}):
        assert client.post(reverse("notifications:feed_create"), data).status_code == 400
    assert client.get(reverse("notifications:feed_create")).status_code == 405
    assert not CalendarFeed.objects.exists()


@pytest.fixture
def api(client, world):
    _, raw = ApiToken.issue(world.staff_user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_api_preferences(api, world):
    got = api.get("/api/v1/notifications/preferences").json()
    assert got == {k: True for k in got} and "reminders" in got
    response = api.patch("/api/v1/notifications/preferences", {"reminders": False}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["reminders"] is False and response.json()["checkins"] is True
    bad = api.patch("/api/v1/notifications/preferences", {"aftercare": False}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    assert api.patch("/api/v1/notifications/preferences", "{", content_type="application/json").status_code == 400


def test_api_feeds(api, world, client):
    made = api.post("/api/v1/notifications/feeds", {"scope": "staff", "staff_id": world.staff.pk},
                    content_type="application/json")
    assert made.status_code == 201
    url = made.json()["url"]
    assert "/calendar/" in url and url.endswith(".ics")
    listed = api.get("/api/v1/notifications/feeds").json()
    assert [f["id"] for f in listed] == [made.json()["id"]] and "url" not in listed[0]

    assert api.post("/api/v1/notifications/feeds", {"scope": "staff"},
                    content_type="application/json").json()["code"] == "staff_required"
    other = api.post("/api/v1/notifications/feeds", {"scope": "staff", "staff_id": 999999},
                     content_type="application/json")
    assert other.status_code == 404
    assert api.post("/api/v1/notifications/feeds", {"scope": "all"}, content_type="application/json").status_code == 422

    assert api.delete(f"/api/v1/notifications/feeds/{made.json()['id']}").status_code == 204
    assert api.delete(f"/api/v1/notifications/feeds/{made.json()['id']}").status_code == 404
    path = url.split("127.0.0.1:8000", 1)[-1]
    assert client.get(path).status_code == 404


def test_api_needs_auth(client):
    response = client.get("/api/v1/notifications/preferences")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"

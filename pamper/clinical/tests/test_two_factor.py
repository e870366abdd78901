"""A venue owner can require two-factor sign-in for everyone who can read clinical records there."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken
from pamper.accounts.tests.otp import code_now, turn_on
from pamper.clinical.models import AccessLog
from pamper.venues.models import Venue

from .conftest import NOW, World
from .planting import SECRETS, Planted, plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(world: World) -> Planted:
    return plant(world, NOW)


def require(venue: Venue) -> None:
    Venue.objects.filter(pk=venue.pk).update(require_two_factor=True)


def assert_no_secrets(response) -> None:  # type: ignore[no-untyped-def]
    for secret in SECRETS.values():
        assert secret.encode() not in response.content


def test_without_a_second_factor_staff_are_sent_to_set_it_up_and_see_nothing(world: World, planted: Planted) -> None:
    require(world.venue)
    page_url = f"/partner/clinical/{world.venue.pk}/clients/{planted.client.pk}/"
    browser = world.browser("practitioner")
    before = AccessLog.objects.count()

    page = browser.get(page_url)
    assert page.status_code == 302
    assert page["Location"] == "/accounts/two-factor/?next=" + page_url.replace("/", "%2F")
    assert_no_secrets(page)
    api = world.api("practitioner").get(f"/api/v1/clinical/venues/{world.venue.pk}/clients/{planted.client.pk}")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert_no_secrets(api)
    assert AccessLog.objects.count() == before  # nothing was read
    # The rest of the workspace does not need it.
    assert browser.get(f"/partner/{world.venue.pk}/calendar/").status_code == 200

    turn_on(browser, world.practitioner)
    opened = browser.get(page_url)
    assert opened.status_code == 200 and SECRETS["answer"].encode() in opened.content
    assert AccessLog.objects.filter(user=world.practitioner).count() == 1


def test_staff_with_an_app_but_a_password_only_session_are_asked_for_the_code(  # type: ignore[no-untyped-def]
        world: World, planted: Planted, frozen) -> None:
    turn_on(world.browser("manager"), world.manager)
    require(world.venue)
    frozen.shift(30)
    browser = world.browser("manager")  # a session that skipped the code (e.g. signed in before it was turned on)
    page_url = f"/partner/clinical/{world.venue.pk}/"
    response = browser.get(page_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/?next=")
    done = browser.post("/accounts/login/code/", {"code": code_now(world.manager), "next": page_url})
    assert done.status_code == 302 and done["Location"] == page_url
    assert browser.get(page_url).status_code == 200


def test_tokens_made_after_the_second_factor_open_records_and_older_ones_do_not(world: World, planted: Planted) -> None:
    require(world.venue)
    url = f"/api/v1/clinical/venues/{world.venue.pk}/clients/{planted.client.pk}"
    _, old = ApiToken.issue(world.owner)
    browser = world.browser("owner")
    turn_on(browser, world.owner)
    browser.post("/accounts/tokens/", {"name": "front desk tablet"})
    new = ApiToken.objects.filter(user=world.owner, name="front desk tablet").get()
    assert new.two_factor
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {old}").get(url).status_code == 403
    raw = browser.post("/accounts/tokens/", {"name": "laptop"}).context["raw"]
    response = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get(url)
    assert response.status_code == 200 and SECRETS["answer"] in response.content.decode()


def test_venues_that_do_not_require_it_are_unaffected(world: World, planted: Planted) -> None:
    require(world.other_venue)
    url = f"/partner/clinical/{world.venue.pk}/clients/{planted.client.pk}/"
    assert world.browser("practitioner").get(url).status_code == 200


def test_only_an_owner_with_it_on_can_require_it(world: World) -> None:
    url = f"/partner/{world.venue.pk}/team/two-factor/"
    assert world.browser("manager").post(url, {"require": "on"}).status_code == 403
    owner = world.browser("owner")
    owner.post(url, {"require": "on"})
    world.venue.refresh_from_db()
    assert not world.venue.require_two_factor  # not without the owner's own second factor: no lock-out
    turn_on(owner, world.owner)
    assert owner.post(url, {"require": "on"}).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.require_two_factor
    team = owner.get(f"/partner/{world.venue.pk}/team/").content.decode()
    assert "needed" in team  # practitioner and manager have no app yet
    owner.post(url, {})
    world.venue.refresh_from_db()
    assert not world.venue.require_two_factor


def test_it_cannot_be_turned_off_while_a_venue_requires_it(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    world.practitioner.set_password("lilac-orchard-58")
    world.practitioner.save()
    browser = world.browser("practitioner")
    turn_on(browser, world.practitioner)
    require(world.venue)
    response = browser.post("/accounts/two-factor/", {"action": "disable", "password": "lilac-orchard-58"})
    assert response.status_code == 409 and world.practitioner.totpdevice_set.exists()
    assert "Harley Skin Clinic requires two-factor sign-in" in response.content.decode()

"""Lowering a security setting needs the second factor exactly as raising it does.

"Stale" below is a session signed in with a password alone on an account that has two-factor on (signed in before
it was turned on, on another device): it is refused, sent to the code step, and nothing changes.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient

from pamper.accounts.models import Invitation, Membership, Role, User
from pamper.accounts.tests.otp import code_now, turn_on
from pamper.venues.models import Venue

from .world import World

pytestmark = pytest.mark.django_db
PASSWORD = "lilac-orchard-58"


@pytest.fixture
def owner(world: World, settings, frozen) -> User:  # type: ignore[no-untyped-def]
    """The world's owner with a password and two-factor on."""
    cache.clear()
    user = world.owner
    user.set_password(PASSWORD)
    user.save()
    setup = HttpClient()
    setup.force_login(user)
    turn_on(setup, user)
    frozen.shift(30)
    return user


def stale(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def code_step(client: HttpClient, user: User, next_url: str) -> None:
    done = client.post("/accounts/login/code/", {"code": code_now(user), "next": next_url})
    assert done.status_code == 302 and done["Location"] == next_url


def team_url(world: World) -> str:
    return f"/partner/{world.venue.pk}/team/"


def assert_sent_to_code_step(response, world: World) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=" + team_url(world).replace("/", "%2F")


def test_turning_off_the_venue_requirement_needs_the_second_factor(world: World, owner: User) -> None:
    Venue.objects.filter(pk=world.venue.pk).update(require_two_factor=True)
    client = stale(owner)
    assert_sent_to_code_step(client.post(team_url(world) + "two-factor/", {}), world)
    assert Venue.objects.get(pk=world.venue.pk).require_two_factor
    code_step(client, owner, team_url(world))
    assert client.post(team_url(world) + "two-factor/", {}).status_code == 302
    assert not Venue.objects.get(pk=world.venue.pk).require_two_factor


def test_turning_off_the_venue_requirement_needs_an_owner_with_a_second_factor(world: World) -> None:
    """A co-owner with no authenticator app cannot lower it either, as they could not raise it."""
    Venue.objects.filter(pk=world.venue.pk).update(require_two_factor=True)
    client = stale(world.owner)
    response = client.post(team_url(world) + "two-factor/", {})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert Venue.objects.get(pk=world.venue.pk).require_two_factor


def test_turning_off_ones_own_two_factor_needs_the_second_factor(world: World, owner: User) -> None:
    client = stale(owner)
    response = client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert owner.totpdevice_set.filter(confirmed=True).exists()
    code_step(client, owner, "/accounts/two-factor/")
    assert client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD}).status_code == 302
    assert not owner.totpdevice_set.exists()


def test_giving_a_role_with_clinical_access_needs_the_second_factor(world: World, owner: User) -> None:
    membership = Membership.objects.get(user=world.reception, venue=world.venue)
    url = f"{team_url(world)}members/{membership.pk}/role/"
    client = stale(owner)
    for role in (Role.PRACTITIONER, Role.MANAGER, Role.OWNER):
        assert_sent_to_code_step(client.post(url, {"role": role}), world)
        assert Membership.objects.get(pk=membership.pk).role == Role.RECEPTION
    code_step(client, owner, team_url(world))
    assert client.post(url, {"role": Role.PRACTITIONER}).status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == Role.PRACTITIONER


def test_taking_clinical_access_away_does_not_need_it(world: World, owner: User) -> None:
    membership = Membership.objects.get(user=world.practitioner, venue=world.venue)
    stale(owner).post(f"{team_url(world)}members/{membership.pk}/role/", {"role": Role.RECEPTION})
    assert Membership.objects.get(pk=membership.pk).role == Role.RECEPTION


def test_inviting_with_a_clinical_role_needs_the_second_factor(world: World, owner: User) -> None:
    client = stale(owner)
    before = Invitation.objects.count()
    for role in (Role.PRACTITIONER, Role.MANAGER):
        assert_sent_to_code_step(client.post(team_url(world) + "invite/", {"email": "nurse@example.com", "role": role}),
                                 world)
    assert Invitation.objects.count() == before
    assert client.post(team_url(world) + "invite/",
                       {"email": "desk@example.com", "role": Role.RECEPTION}).status_code == 302
    code_step(client, owner, team_url(world))
    assert client.post(team_url(world) + "invite/",
                       {"email": "nurse@example.com", "role": Role.PRACTITIONER}).status_code == 302
    assert Invitation.objects.filter(email="nurse@example.com", role=Role.PRACTITIONER).exists()


def test_at_a_venue_that_requires_it_an_owner_without_it_cannot_grant_clinical_access(world: World) -> None:
    Venue.objects.filter(pk=world.venue.pk).update(require_two_factor=True)
    membership = Membership.objects.get(user=world.reception, venue=world.venue)
    response = stale(world.owner).post(f"{team_url(world)}members/{membership.pk}/role/", {"role": Role.PRACTITIONER})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert Membership.objects.get(pk=membership.pk).role == Role.RECEPTION


def test_without_two_factor_anywhere_roles_change_as_before(world: World) -> None:
    membership = Membership.objects.get(user=world.reception, venue=world.venue)
    response = stale(world.owner).post(f"{team_url(world)}members/{membership.pk}/role/", {"role": Role.PRACTITIONER})
    assert response.status_code == 302 and response["Location"] == team_url(world)
    assert Membership.objects.get(pk=membership.pk).role == Role.PRACTITIONER

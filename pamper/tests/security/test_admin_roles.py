"""The Django admin is one more way to change who may read clinical records: it follows the same second-factor
rule as the Team page (giving a clinical role needs the code when a second factor is in play)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import Membership, Role, User
from pamper.accounts.tests.otp import turn_on
from pamper.venues.models import Venue

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(world: World, frozen) -> User:  # type: ignore[no-untyped-def]
    """A platform operator with two-factor on, signed in (in `stale`) with a password alone."""
    user = User.objects.create_superuser(email="operator@example.org", password="lilac-orchard-58")
    setup = HttpClient()
    setup.force_login(user)
    turn_on(setup, user)
    frozen.shift(30)
    return user


def change_role(client: HttpClient, membership: Membership, role: str):  # type: ignore[no-untyped-def]
    return client.post(f"/admin/accounts/membership/{membership.pk}/change/",
                       {"user": membership.user_id, "venue": membership.venue_id, "role": role})


def test_an_operator_without_the_code_cannot_give_a_clinical_role_in_the_admin(world: World, operator: User) -> None:
    stale = HttpClient()
    stale.force_login(operator)
    reception = Membership.objects.get(user=world.reception)
    answer = change_role(stale, reception, Role.PRACTITIONER)
    assert answer.status_code == 200 and b"second factor" in answer.content
    assert Membership.objects.get(pk=reception.pk).role == Role.RECEPTION


def test_at_a_venue_that_requires_it_the_admin_needs_the_code_too(world: World) -> None:
    Venue.objects.filter(pk=world.venue.pk).update(require_two_factor=True)
    operator = User.objects.create_superuser(email="operator2@example.org", password="lilac-orchard-58")
    client = HttpClient()
    client.force_login(operator)
    reception = Membership.objects.get(user=world.reception)
    assert change_role(client, reception, Role.MANAGER).status_code == 200
    assert Membership.objects.get(pk=reception.pk).role == Role.RECEPTION


def test_taking_a_clinical_role_away_in_the_admin_needs_no_code(world: World, operator: User) -> None:
    stale = HttpClient()
    stale.force_login(operator)
    practitioner = Membership.objects.get(user=world.practitioner)
    answer = change_role(stale, practitioner, Role.RECEPTION)
    assert answer.status_code == 302
    assert Membership.objects.get(pk=practitioner.pk).role == Role.RECEPTION

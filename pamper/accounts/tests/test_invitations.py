"""Inviting staff by email with a role; the link, once accepted by that address, makes the membership."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from pamper.accounts.models import Invitation, Membership, Role
from pamper.partner.tests import factories
from pamper.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rose(db):  # type: ignore[no-untyped-def]
    return factories.salon("Rose")


@pytest.fixture
def invite(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Invite as the owner; the email goes out when the transaction commits."""

    def send(client: Client, rose, email: str = "Tess@Example.com", role: str = "reception") -> str:  # type: ignore[no-untyped-def]
        client.force_login(rose.owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/partner/{rose.venue.pk}/team/invite/", {"email": email, "role": role})
        assert response.status_code == 302
        return link_in_last_mail()

    return send


def link_in_last_mail() -> str:
    return re.search(r"http://\S+(/accounts/invitations/\S+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]


def test_an_invitation_email_carries_a_link_that_is_stored_hashed(client: Client, rose, invite) -> None:  # type: ignore[no-untyped-def]
    link = invite(client, rose)
    message = mail.outbox[0]
    assert message.to == ["tess@example.com"] and "Rose Studio" in message.subject and "reception" in message.body
    raw = link.rstrip("/").split("/")[-1]
    assert not Invitation.objects.filter(token_hash=raw).exists()
    assert Invitation.objects.get().email == "tess@example.com"


def test_accepting_with_the_invited_address_creates_the_membership(client: Client, rose, invite) -> None:  # type: ignore[no-untyped-def]
    link = invite(client, rose)
    tess = UserFactory(email="tess@example.com", password="lilac-orchard-58", name="Tess")
    client.force_login(tess)
    assert "Join Rose Studio" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == f"/partner/{rose.venue.pk}/"
    assert Membership.objects.get(user=tess).role == Role.RECEPTION
    again = client.post(link)
    assert again.status_code == 409 and "accepted" in again.content.decode()


def test_another_address_cannot_use_the_link(client: Client, rose, invite) -> None:  # type: ignore[no-untyped-def]
    link = invite(client, rose)
    mallory = UserFactory(email="mallory@example.com", password="lilac-orchard-58", name="")
    client.force_login(mallory)
    response = client.post(link)
    assert response.status_code == 409 and "tess@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=mallory).exists()


def test_signed_out_invitees_are_offered_sign_up_with_their_address(client: Client, rose, invite) -> None:  # type: ignore[no-untyped-def]
    link = invite(client, rose)
    client.logout()
    html = client.get(link).content.decode()
    assert "/accounts/signup/?email=tess%40example.com" in html
    assert client.post(link).status_code == 200  # nothing happens without an account
    assert Membership.objects.filter(venue=rose.venue).count() == 4


def test_expired_and_revoked_links_do_nothing(client: Client, rose, invite) -> None:  # type: ignore[no-untyped-def]
    link = invite(client, rose)
    tess = UserFactory(email="tess@example.com", password="lilac-orchard-58", name="")
    client.force_login(tess)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)):
        assert client.post(link).status_code == 409
    invitation = Invitation.objects.get()
    client.force_login(rose.owner)
    client.post(f"/partner/{rose.venue.pk}/team/invitations/{invitation.pk}/revoke/")
    client.force_login(tess)
    response = client.post(link)
    assert response.status_code == 409 and "revoked" in response.content.decode()
    assert not Membership.objects.filter(user=tess).exists()


def test_unknown_link_is_404(client: Client) -> None:
    assert client.get("/accounts/invitations/inv_nothing-here/").status_code == 404


def test_managers_cannot_make_owners_and_existing_members_are_refused(client: Client, rose) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rose.manager)
    owner_try = client.post(f"/partner/{rose.venue.pk}/team/invite/", {"email": "x@example.com", "role": "owner"})
    assert owner_try.status_code == 400
    member_try = client.post(f"/partner/{rose.venue.pk}/team/invite/",
                             {"email": rose.reception.email, "role": "manager"})
    assert member_try.status_code == 409 and "already belongs" in member_try.content.decode()
    assert not Invitation.objects.exists()


def test_the_last_owner_cannot_be_demoted_or_removed(client: Client, rose) -> None:  # type: ignore[no-untyped-def]
    owner_membership = Membership.objects.get(user=rose.owner, venue=rose.venue)
    client.force_login(rose.manager)
    client.post(f"/partner/{rose.venue.pk}/team/members/{owner_membership.pk}/remove/")
    assert Membership.objects.filter(pk=owner_membership.pk).exists()
    second = member(rose.venue, Role.OWNER, email="co@example.com", password="x-lilac-99", name="")
    client.force_login(second)
    client.post(f"/partner/{rose.venue.pk}/team/members/{owner_membership.pk}/role/", {"role": "manager"})
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.MANAGER
    mine = Membership.objects.get(user=second)
    client.post(f"/partner/{rose.venue.pk}/team/members/{mine.pk}/role/", {"role": "manager"})
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_the_invitation_is_written_in_the_invitees_language_else_the_venues(client: Client, rose,  # type: ignore[no-untyped-def]
                                                                            django_capture_on_commit_callbacks) -> None:
    """The subject was English whatever the language, and the body followed the inviter's page."""
    from django.utils import translation

    rose.venue.language = "fr"
    rose.venue.save(update_fields=["language"])
    UserFactory(email="giulia@example.com", language="it")
    client.force_login(rose.owner)
    for email in ("new@example.com", "giulia@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/de/partner/{rose.venue.pk}/team/invite/",
                               {"email": email, "role": "reception"}).status_code == 302
    for message, language in zip(mail.outbox, ("fr", "it"), strict=True):
        with translation.override(language):
            assert message.subject == translation.gettext("Join %(venue)s on Pamper") % {"venue": rose.venue.name}
            assert translation.gettext("Hello,") in message.body
    assert mail.outbox[0].subject != mail.outbox[1].subject

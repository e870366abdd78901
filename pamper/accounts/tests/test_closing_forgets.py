"""Closing an account leaves nothing behind that points at the person: every row linked to the account, or holding
its address or name, is erased (or scrubbed) by the app that keeps it, or is kept for a reason written down here.

Before, closing left the person's favourites, the stored answers to their booking requests, their API tokens (with
the names they gave them), their address on gift cards they bought or received and on invitations sent to them;
the gift cards and invitations then turned up in the export of a new account made with the same address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.accounts import actions
from pamper.accounts.models import Invitation, User, hash_token
from pamper.bookings.models import IdempotencyRecord
from pamper.tests.world import NOW, World
from pamper.venues.models import Favourite

from .passwords import PASSWORD, with_password
from .test_export import archive_of, one_of_each

pytestmark = pytest.mark.django_db

SURNAME = "Quarrington-Vale"  # nowhere else in the world's rows

# Rows that still point at the closed account afterwards, and why each is right to. The account row stays,
# scrubbed (no address, name, phone or password), so what points at it names nobody.
KEPT: dict[str, str] = {
    "accounts.User": "The account row itself stays, scrubbed, so what points at it keeps its shape.",
    "reviews.Review": "A review stays on the venue's page under a neutral name (the venue's rating counts it).",
    "reviews.ReviewReport": "A report the person made on someone's review: the moderators' record of why the review "
                            "was looked at; it names nobody once the account is scrubbed.",
}


def _text_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields()
            if f.concrete and isinstance(f, models.CharField | models.TextField)
            and "crypt" not in type(f).__name__.lower()]


def leftovers(user_id: int, email: str) -> dict[str, int]:
    """Per model: how many rows point at the account, or hold its old address or the person's surname."""
    found = {}
    for model in apps.get_models():
        match = Q(pk__in=[])
        for f in model._meta.get_fields():
            if f.concrete and f.is_relation and f.related_model is User:
                match |= Q(**{f.attname: user_id})
        if model is User:
            match |= Q(pk=user_id)
        for name in _text_fields(model):
            match |= Q(**{f"{name}__icontains": email}) | Q(**{f"{name}__icontains": SURNAME})
        count = model._default_manager.filter(match).count()
        if count:
            found[model._meta.label] = count
    return found


def without_exports(data: dict[str, Any]) -> dict[str, Any]:
    """An archive without the log lines of the person's own exports (taking one is logged, as every read is)."""
    log = [line for line in data["health"]["access_log"] if line["record_type"] != "export"]
    return {**data, "health": {**data["health"], "access_log": log}}


def everything(world: World) -> tuple[User, dict[str, Any]]:
    """The customer, with one of every kind of thing (theirs and the other customer's), and the rest closing
    must find: a pending invitation to their address, a stored booking answer, an unfinished authenticator."""
    customer = with_password(world.customer)
    User.objects.filter(pk=customer.pk).update(name=f"Ottoline {SURNAME}", phone="+447700900111",
                                               email="ottoline.qv@example.org")  # no other address contains it
    customer.refresh_from_db()
    theirs = one_of_each(world, world.other_customer, "THEIRS")
    mine = one_of_each(world, customer, "MINE", other_review=theirs["review"])
    Favourite.objects.create(user=customer, venue=world.venue)
    Invitation.objects.create(venue=world.other_venue, email=customer.email.upper(), role="reception",
                              token_hash=hash_token("invite-me"), invited_by=world.owner,
                              expires_at=NOW + dt.timedelta(days=7))
    IdempotencyRecord.objects.create(user=customer, key="retry-1", request_hash="0" * 64, status_code=201,
                                     body={"customer": {"name": customer.name, "email": customer.email}})
    TOTPDevice.objects.create(user=customer, name=f"{SURNAME}'s phone", confirmed=False)
    LogEntry.objects.create(user=world.owner, content_type=ContentType.objects.get_for_model(User),
                            object_id=str(customer.pk), object_repr=str(customer), action_flag=CHANGE,
                            change_message='[{"changed": {"fields": ["Phone"]}}]')  # an operator's edit
    return customer, mine


def test_closing_leaves_no_row_about_the_person_and_nobody_elses_changes(world: World) -> None:
    customer, _ = everything(world)
    old_email = customer.email
    theirs_before, _, _ = archive_of(world, "other_customer")
    assert set(leftovers(customer.pk, old_email)) >= {"venues.Favourite", "bookings.IdempotencyRecord",
                                                      "accounts.ApiToken", "payments.GiftCard",
                                                      "accounts.Invitation", "admin.LogEntry"}

    actions.close_account(user=customer, password=PASSWORD, code=None, address="127.0.0.1", now=NOW)

    left = leftovers(customer.pk, old_email)
    unanswered = set(left) - set(KEPT)
    assert not unanswered, {label: left[label] for label in unanswered}
    assert not Favourite.objects.filter(user=customer).exists()
    theirs_after, _, _ = archive_of(world, "other_customer")
    assert without_exports(theirs_after) == without_exports(theirs_before)


def test_a_new_account_with_the_old_address_starts_empty(world: World) -> None:
    customer, _ = everything(world)
    old_email = customer.email
    actions.close_account(user=customer, password=PASSWORD, code=None, address="127.0.0.1", now=NOW)

    made = HttpClient().post("/api/v1/auth/register", content_type="application/json",
                             data={"email": old_email, "password": "another-meadow-91", "name": "Back Again"})
    assert made.status_code == 201, made.content
    world.customer = User.objects.get(email=old_email)
    world.tokens.pop("customer", None)
    data, text, _ = archive_of(world, "customer")
    assert data["payments"]["gift_cards"] == []
    assert data["venues"]["favourites"] == []
    assert "MINE" not in text and SURNAME not in text
    assert data["account"]["invitations"] == []  # the one sent to the closed account is not theirs

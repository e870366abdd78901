"""Dates a customer reads on their own pages (my waitlist, my profile) are written as their language writes them,
through the Babel filters, not Django's date filter with English order ('Mi 4 Mär' for 'Mi., 4. März')."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pamper.accounts.models import User
from pamper.tests.world import World
from pamper.waitlist.models import Entry, PartOfDay

pytestmark = pytest.mark.django_db


def test_my_waitlist_and_profile_read_as_german_dates(world: World, client: Client) -> None:
    Entry.objects.create(customer=world.customer, venue=world.venue, service=world.facial_service,
                         first_day=dt.date(2026, 3, 4), last_day=dt.date(2026, 3, 6), part_of_day=PartOfDay.ANY)
    User.objects.filter(pk=world.customer.pk).update(date_joined=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))
    client.force_login(world.customer)
    waitlist = client.get("/de/waitlist/").content.decode()
    assert "Mi., 4. März" in waitlist and "Fr., 6. März" in waitlist, waitlist
    profile = client.get("/de/accounts/profile/").content.decode()
    assert "2. März 2026" in profile and "2 März 2026" not in profile

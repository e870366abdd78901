"""Venue and service writes keep the search rows in step in the same transaction (venues.hooks.venue_changed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from pamper.search import index
from pamper.search.models import SearchRow
from pamper.tests.factories import ServiceFactory, TreatmentFactory, VenueFactory
from pamper.venues import actions as venue_actions

pytestmark = pytest.mark.django_db


class Abort(Exception):
    pass


def test_a_service_write_updates_the_rows_before_commit_and_rolls_back_with_it():
    treatment = TreatmentFactory()
    venue = VenueFactory()
    service = ServiceFactory(venue=venue, treatment=treatment, price=Decimal("100"))
    index.reindex_venue(venue.id)
    with pytest.raises(Abort), transaction.atomic():
        venue_actions.deactivate_service(service=service)
        assert not SearchRow.objects.filter(venue=venue, treatment=treatment).exists()  # in step, not yet committed
        raise Abort
    assert SearchRow.objects.get(venue=venue, treatment=treatment).price_min == Decimal("100")  # rolled back with it
    venue_actions.deactivate_service(service=service)
    assert not SearchRow.objects.filter(venue=venue).exists()

"""Venue and service writes keep the search rows in step in the same transaction (venues.hooks.venue_changed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from pamper.search import index
from pamper.search.models import SearchRow
from pamper.tests.factories import ServiceFactory, TreatmentFactory, VenueFactory
from pamper.venues import actions as venue_actions
from pamper.venues import hooks as venue_hooks

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


def test_writes_in_one_reindexed_once_block_reach_search_once_at_its_end():
    treatment, other = TreatmentFactory(), TreatmentFactory()
    venue = VenueFactory()
    told: list[int] = []

    def count(sender, *, venue_id, **kwargs):  # type: ignore[no-untyped-def]
        told.append(venue_id)

    venue_hooks.venue_changed.connect(count)
    try:
        with venue_actions.reindexed_once():
            venue_actions.save_service(venue=venue, treatment=treatment, name="Peel", price=Decimal("60"),
                                       duration_minutes=30)
            venue_actions.save_service(venue=venue, treatment=other, name="Mask", price=Decimal("40"),
                                       duration_minutes=30)
            assert told == []  # not yet: the block tells search once, when it ends
        assert told == [venue.id]
        assert {r.treatment_id: r.price_min for r in SearchRow.objects.filter(venue=venue)} == {
            treatment.id: Decimal("60"), other.id: Decimal("40")}

        with pytest.raises(Abort), venue_actions.reindexed_once():  # a failing block changes nothing, tells no one
            venue_actions.save_service(venue=venue, treatment=TreatmentFactory(), name="Wax", price=Decimal("20"),
                                       duration_minutes=15)
            raise Abort
        assert told == [venue.id]
        assert SearchRow.objects.filter(venue=venue).count() == 2
        venue_actions.save_service(venue=venue, treatment=TreatmentFactory(), name="Brows", price=Decimal("15"),
                                   duration_minutes=15)
        assert told == [venue.id, venue.id]  # outside a block: told at once, as before
    finally:
        venue_hooks.venue_changed.disconnect(count)

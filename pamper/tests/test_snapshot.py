"""pamper/tests/snapshot.py: a build's rows come back with their ids, its value as a fresh copy, and a build that
changes rows it did not add is built every time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

from pamper.catalog.models import Category
from pamper.tests.factories import ServiceFactory, StaffFactory, VenueFactory
from pamper.tests.snapshot import replayed
from pamper.venues.models import Service, Staff, Venue

pytestmark = pytest.mark.django_db


@contextmanager
def rolled_back() -> Iterator[None]:
    """What happens at the end of a test: everything written inside is rolled back."""
    point = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(point)


def call(key: str, build: Callable[[], Any]) -> Any:
    with rolled_back():
        return replayed(key, build)


def test_a_second_call_writes_the_same_rows_back_without_building(request: pytest.FixtureRequest) -> None:
    builds = []

    def build() -> Staff:
        builds.append(1)
        venue = VenueFactory(name="Snapshot Spa", slug="snapshot-spa")
        service = ServiceFactory(venue=venue, name="Facial")
        return StaffFactory(venue=venue, name="Sam", services=[service])

    def rows() -> dict[str, list[tuple]]:
        return {
            "venue": list(Venue.objects.values_list("id", "name", "slug")),
            "service": list(Service.objects.values_list("id", "venue_id", "treatment_id", "name")),
            "staff": list(Staff.objects.values_list("id", "venue_id", "name")),
            "skills": list(Staff.services.through.objects.values_list("staff_id", "service_id")),
        }

    key = request.node.nodeid
    with rolled_back():
        first = replayed(key, build)
        built = rows()
    assert not Venue.objects.exists()

    with rolled_back():
        second = replayed(key, build)
        assert len(builds) == 1
        assert rows() == built
        assert len(built["skills"]) == 1
        assert second is not first and second.venue is not first.venue
        assert (second.pk, second.venue.pk, second.name) == (first.pk, first.venue.pk, "Sam")
        second.name = "Changed in this test"  # the copy is the test's own
        # A row added after a replay gets a higher id than the replayed ones, as after a real build.
        assert VenueFactory(name="Later").pk > first.venue.pk

    assert call(key, build).name == "Sam"
    assert len(builds) == 1


def test_other_rows_in_the_tables_mean_a_real_build(request: pytest.FixtureRequest) -> None:
    builds = []

    def build() -> Venue:
        builds.append(1)
        return VenueFactory(name="Snapshot Spa")

    key = request.node.nodeid
    replayed(key, build)
    assert len(builds) == 1
    call(key, build)  # the first venue is still there: not the state the snapshot was taken in
    assert len(builds) == 2


def test_a_build_that_changes_an_existing_row_is_built_each_time_from_that_state(
        request: pytest.FixtureRequest) -> None:
    builds = []

    def build() -> None:
        builds.append(1)
        Category.objects.filter(slug="snapshot").update(name="After")
        VenueFactory(name="Snapshot Spa")

    key = request.node.nodeid
    with rolled_back():
        Category.objects.create(slug="snapshot", name="Before")
        call(key, build)
        assert Category.objects.get(slug="snapshot").name == "Before"
        with rolled_back():
            replayed(key, build)
            assert len(builds) == 2
            assert Category.objects.get(slug="snapshot").name == "After"
    # From empty tables the same build changes nothing that was there: it is recorded, then replayed.
    call(key, build)
    call(key, build)
    assert len(builds) == 3

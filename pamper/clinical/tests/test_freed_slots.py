"""Issue 14, point 3: a clinical cancellation frees the diary and search shows the freed time.

Clinical code (a failed patch test, an erasure) takes bookings out of the diary
through the bookings verbs, so the venue's search row is refreshed after commit
like after any other cancellation: the freed slot is the next free time shown
at once, not only when the periodic sweep happens to revisit the venue.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings import nextfree
from pamper.bookings.models import Booking, Status
from pamper.clinical import privacy
from pamper.search.index import reindex_venue
from pamper.search.models import SearchRow
from pamper.venues.models import TimeOff

from .conftest import World, at
from .test_pathway_api import book_pathway, post

pytestmark = pytest.mark.django_db


def shown_next(world: World) -> dt.datetime | None:
    """The next free mesotherapy time the venue's search row shows."""
    return SearchRow.objects.get(venue=world.venue, treatment=world.meso).next_available


@pytest.fixture
def waiting(world: World, django_capture_on_commit_callbacks) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A consultation on Tuesday 10:00 and the treatment waiting for it on Wednesday 10:30, the first free
    treatment time (the practitioner is away from the consultation's end until then); search is up to date."""
    TimeOff.objects.create(staff=world.staff, start=at(3, 10, 30), end=at(4, 10, 30), reason="Training")
    reindex_venue(world.venue.pk)
    with django_capture_on_commit_callbacks(execute=True):
        body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    consultation, treatment = body["consultation"]["id"], body["treatment"]["id"]
    assert Booking.objects.get(pk=treatment).status == Status.AWAITING_PATCH_TEST
    nextfree.refresh_venue(world.venue.pk, at(3, 11))
    assert shown_next(world) == at(4, 11)  # the treatment holds 10:30-10:50; the next grid time is 11:00
    return consultation, treatment


def test_a_failed_patch_test_frees_the_waiting_treatment_in_search(world: World, waiting, frozen,  # type: ignore[no-untyped-def]
                                                                   django_capture_on_commit_callbacks) -> None:
    consultation, treatment = waiting
    frozen.move_to(at(3, 11))
    with django_capture_on_commit_callbacks(execute=True):
        result = post(world.api("manager"), f"/api/v1/clinical/venues/{world.venue.pk}/patch-tests", {
            "treatment_id": world.meso.pk, "booking_id": consultation, "outcome": "reaction",
            "read_at": at(3, 11).isoformat(),
        })
    assert result.status_code == 201, result.content
    assert Booking.objects.get(pk=treatment).status == Status.CANCELLED
    assert shown_next(world) == at(4, 10, 30)


def test_erasure_frees_the_cancelled_visits_in_search(world: World, waiting, frozen,  # type: ignore[no-untyped-def]
                                                     django_capture_on_commit_callbacks) -> None:
    _consultation, treatment = waiting
    frozen.move_to(at(3, 11))
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_health_data(user=world.customer, now=at(3, 11))
    assert Booking.objects.get(pk=treatment).status == Status.CANCELLED
    assert shown_next(world) == at(4, 10, 30)

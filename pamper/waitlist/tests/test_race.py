"""Issue 18, point 11: an offer can never double-book. Offer runs and customers booking the freed time race on
real threads against whatever database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import threading
from itertools import combinations

import pytest
from django.db import connections

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import BookingItem
from pamper.errors import Refusal
from pamper.tests.factories import UserFactory
from pamper.tests.world import World, at
from pamper.waitlist import actions
from pamper.waitlist.models import Offer, OfferStatus

from .helpers import entry, fill_day, free_it

pytestmark = pytest.mark.django_db(transaction=True)
OFFER_RUNS = 8
BOOKERS = 8


def assert_no_overlaps() -> None:
    active = list(BookingItem.objects.filter(active=True).values_list("staff_id", "busy_start", "busy_end"))
    for a, b in combinations(active, 2):
        assert not (a[0] == b[0] and a[1] < b[2] and b[1] < a[2]), f"double booking: {a} and {b}"


def race(jobs: list) -> list[str]:  # type: ignore[type-arg]
    """Run each job on its own thread, all released at once; what each ended with ('ok', a refusal code, or the
    repr of anything else, which fails the test)."""
    barrier = threading.Barrier(len(jobs))
    results = [""] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait()
            jobs[i]()
            results[i] = "ok"
        except Refusal as refusal:
            results[i] = refusal.code
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_offer_runs_and_bookers_racing_for_a_freed_time_never_double_book(world: World) -> None:
    free_it(fill_day(world))  # nobody waits yet: the time stays free
    waiting = [entry(world, UserFactory()) for _ in range(3)]
    bookers = [UserFactory() for _ in range(BOOKERS)]
    jobs = [lambda: actions.offer_freed_times(venue_id=world.venue.pk) for _ in range(OFFER_RUNS)]
    jobs += [lambda who=who: booking_actions.book_visit(venue=world.venue, services=[world.facial_service],
                                                         start=at(4, 10), customer=who) for who in bookers]
    results = race(jobs)
    assert set(results) <= {"ok", "slot_taken"}, results
    assert_no_overlaps()
    offers = list(Offer.objects.filter(status=OfferStatus.OPEN))
    assert len({o.entry_id for o in offers}) == len(offers)  # one open offer per entry at most
    assert all(o.entry_id in {e.pk for e in waiting} for o in offers)
    taken = BookingItem.objects.filter(active=True, start__gte=at(4, 10), start__lt=at(4, 11, 30)).count()
    assert taken == 1  # a 60-minute facial fits once in the freed 90 minutes, whoever won it

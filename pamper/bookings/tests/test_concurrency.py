"""Never double-booked: 32 real threads race through the API on whatever database the suite runs on."""

from __future__ import annotations

import json
import threading
from collections import Counter
from itertools import combinations

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from pamper.bookings import actions, placing
from pamper.bookings.models import Booking, BookingItem

from . import helpers as h

THREADS = 32
pytestmark = pytest.mark.django_db(transaction=True)


def race(payloads: list[dict], headers: list[dict]) -> list[tuple[int, dict]]:
    """POST each payload from its own thread, all released at once; (status, body) per thread."""
    barrier = threading.Barrier(len(payloads))
    results: list[tuple[int, dict]] = [(0, {})] * len(payloads)

    def run(i: int) -> None:
        try:
            barrier.wait()
            response = Client().post("/api/v1/bookings", json.dumps(payloads[i]), content_type="application/json",
                                     **headers[i])
            results[i] = (response.status_code, response.json())
        except Exception as exc:  # a crash is a failed request, reported below
            results[i] = (599, {"error": repr(exc)})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(payloads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def assert_no_overlaps() -> None:
    active = list(BookingItem.objects.filter(active=True)
                  .values_list("staff_id", "resource_id", "busy_start", "busy_end"))
    for a, b in combinations(active, 2):
        same = a[0] == b[0] or (a[1] is not None and a[1] == b[1])
        assert not (same and a[2] < b[3] and b[2] < a[3]), f"double booking: {a} and {b}"


@pytest.fixture
def racers(frozen):  # type: ignore[no-untyped-def]
    shop = h.shop()
    people = [h.bearer(h.customer()) for _ in range(THREADS)]
    return shop, people


def test_32_clients_racing_for_four_slots_get_exactly_one_each(racers):
    shop, people = racers
    starts = ["2026-05-05T10:00:00+01:00", "2026-05-05T11:00:00+01:00", "2026-05-05T12:00:00+01:00",
              "2026-05-05T13:00:00+01:00"]
    payloads = [
        {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": starts[i % 4], "staff_id": shop.anna.id}
        for i in range(THREADS)
    ]
    results = race(payloads, people)
    codes = Counter(status for status, _ in results)
    assert codes == {201: 4, 409: 28}, results
    assert all(body["code"] == "slot_taken" for status, body in results if status == 409)
    won = sorted(body["start"] for status, body in results if status == 201)
    assert won == starts
    assert Booking.objects.count() == 4
    assert_no_overlaps()


def test_32_clients_racing_for_anyone_fill_each_stylist_once(racers):
    shop, people = racers
    payloads = [{"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-05T10:00:00+01:00"}] * THREADS
    results = race(payloads, people)
    codes = Counter(status for status, _ in results)
    assert codes == {201: 2, 409: 30}, results
    staff = sorted(body["items"][0]["staff_name"] for status, body in results if status == 201)
    assert staff == ["Anna", "Ben"]
    assert_no_overlaps()


def test_32_retries_of_one_request_make_one_booking(racers):
    shop, people = racers
    payload = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-05T15:00:00+01:00"}
    headers = [{**people[0], "HTTP_IDEMPOTENCY_KEY": "same-click"}] * THREADS
    results = race([payload] * THREADS, headers)
    assert {status for status, _ in results} == {201}, results
    assert len({body["id"] for _, body in results}) == 1
    assert Booking.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
def test_postgresql_refuses_overlaps_even_past_the_check(racers, monkeypatch):
    shop, people = racers
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 9), customer=customer,
                                 staff=shop.anna)
    first = booking.items.get()
    # The database itself refuses a second active item for Anna over the same minutes.
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingItem.objects.create(
            booking=booking, venue=shop.venue, service=shop.cut, staff=shop.anna, start=first.start, end=first.end,
            busy_start=first.busy_start, busy_end=first.busy_end, price=first.price, currency="GBP",
        )
    # A writer whose availability read was stale (as under a race) gets a 409, not a 500 and not a booking.
    monkeypatch.setattr(placing, "load_schedule", _without_bookings(placing.load_schedule))
    response = Client().post(
        "/api/v1/bookings",
        json.dumps({"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-05T10:00:00+01:00",
                    "staff_id": shop.anna.id}),
        content_type="application/json", **people[0],
    )
    assert response.status_code == 409 and response.json()["code"] == "slot_taken"
    assert Booking.objects.count() == 1


def _without_bookings(load):  # type: ignore[no-untyped-def]
    def stale(*args, **kwargs):  # type: ignore[no-untyped-def]
        schedule = load(*args, **kwargs)
        schedule.booked = {}
        return schedule

    return stale

"""Property tests of the index query on generated venues (SQLite and PostgreSQL alike).

For any set of venues, any search point, radius, page size, sort and price
cap: paging through every page finds each venue that offers the treatment
within the radius exactly once, finds nothing outside it, and, sorted by
distance, lists them nearest first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamper.catalog.models import Treatment
from pamper.lib.geo import haversine_km
from pamper.search import index, page_cursor, sql
from pamper.search.geometry import destination
from pamper.tests.factories import ServiceFactory, TreatmentFactory, VenueFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
EDGE_KM = 1e-6  # venues this close to the circle may fall either side of it


venue_spec = st.tuples(
    st.floats(0, 2.2),  # distance as a fraction of the radius
    st.floats(0, 360, exclude_max=True),  # bearing
    st.booleans(),  # offers the treatment searched for (else another one)
    st.integers(10, 200),  # price
    st.integers(0, 3),  # copies at the same point: ties must page correctly
)

search_spec = st.fixed_dictionaries({
    "lat": st.one_of(st.floats(35, 60), st.floats(-85, 85)),
    "lng": st.one_of(st.floats(-10, 20), st.floats(-180, 180)),
    "radius": st.one_of(st.floats(0.3, 100), st.sampled_from([1.0, 4.0, 10.0, 16.0, 64.0, 100.0])),
    "limit": st.integers(1, 7),
    "sort": st.sampled_from(sql.SORTS),
    "price_cap": st.one_of(st.none(), st.integers(10, 200)),
    "venues": st.lists(venue_spec, min_size=0, max_size=25),
})


def _make(spec: dict, wanted: Treatment, other: Treatment) -> dict[int, tuple[float, float, int, bool]]:
    """Create the venues; returns {venue_id: (lat, lng, price, offers)}."""
    made = {}
    n = 0
    for fraction, bearing, offers, price, copies in spec["venues"]:
        lat, lng = destination(spec["lat"], spec["lng"], fraction * spec["radius"], bearing)
        for _ in range(copies + 1):
            n += 1
            venue = VenueFactory(name=f"V{n}", slug=f"v{n}", address="1 Road", city="Town", country="GB",
                                 latitude=lat, longitude=lng)
            ServiceFactory(venue=venue, treatment=wanted if offers else other, name="S",
                           price=Decimal(price), currency="GBP", duration_minutes=30)
            made[venue.id] = (lat, lng, price, offers)
    return made


def _all_pages(q: sql.Query) -> list[sql.Hit]:
    hits, cursor, pages = [], None, 0
    while True:
        page, cursor = sql.find_rows(q, cursor)
        assert len(page) <= q.limit
        hits += page
        pages += 1
        assert pages < 500
        if cursor is None:
            return hits
        cursor = page_cursor.decode_cursor(page_cursor.encode_cursor(cursor, q), q)  # through the wire form


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(spec=search_spec)
def test_every_venue_within_the_radius_is_found_once_and_none_outside(spec):
    with transaction.atomic():
        wanted, other = TreatmentFactory(), TreatmentFactory()
        made = _make(spec, wanted, other)
        index.rebuild_index()
        q = sql.Query(
            treatment_id=wanted.id, lat=spec["lat"], lng=spec["lng"], radius_km=spec["radius"], now=NOW,
            sort=spec["sort"], limit=spec["limit"],
            filters=sql.Filters(price_max=Decimal(spec["price_cap"]) if spec["price_cap"] else None),
        )
        hits = _all_pages(q)
        found = [h.venue_id for h in hits]
        distance = {v: haversine_km(spec["lat"], spec["lng"], lat, lng) for v, (lat, lng, _, _) in made.items()}
        cap = spec["price_cap"] if spec["price_cap"] is not None else math.inf

        assert len(found) == len(set(found)), "a venue came back twice across the pages"
        for venue_id in found:
            assert made[venue_id][3], "a venue that does not offer the treatment"
            assert made[venue_id][2] <= cap
            assert distance[venue_id] <= spec["radius"] + EDGE_KM, "a venue outside the radius"
        expected = {v for v, (_, _, price, offers) in made.items()
                    if offers and price <= cap and distance[v] <= spec["radius"] - EDGE_KM}
        assert expected <= set(found), "a venue within the radius was missed"

        if spec["sort"] == "distance":
            shown = [distance[v] for v in found]
            assert all(a <= b + 1e-9 for a, b in itertools.pairwise(shown)), "not nearest first"
        if spec["sort"] == "price":
            prices = [made[v][2] for v in found]
            assert prices == sorted(prices)
        transaction.set_rollback(True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=st.floats(-60, 60), lng=st.floats(-179, 179), km=st.floats(0.01, 150))
def test_the_chord_threshold_agrees_with_the_great_circle(lat, lng, km):
    """A point at distance d is inside a radius r in SQL exactly when haversine says d <= r."""
    from pamper.search.geometry import chord2, chord2_for_km, km_for_chord2, unit_vector

    far_lat, far_lng = destination(lat, lng, km, 45.0)
    c2 = chord2(unit_vector(lat, lng), unit_vector(far_lat, far_lng))
    assert math.isclose(km_for_chord2(c2), haversine_km(lat, lng, far_lat, far_lng), rel_tol=1e-7, abs_tol=1e-7)
    assert c2 <= chord2_for_km(km * (1 + 1e-9) + 1e-9)
    assert c2 >= chord2_for_km(km * (1 - 1e-9) - 1e-9) or km < 1e-6

"""GET /api/v1/search and /api/v1/places: the answer's shape, order, filters, pages and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

import pamper.api  # noqa: F401  (mounts every router, as the URLconf does)
from pamper.search import index, page_cursor, sql
from pamper.search.api import SearchOut
from pamper.search.models import SearchRow

pytestmark = pytest.mark.usefixtures("london")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def search(client, **params):
    response = client.get("/api/v1/search", {"near": "London", **params})
    assert response.status_code == 200, response.content
    return response.json()


def names(body) -> list[str]:
    return [r["venue"]["name"] for r in body["results"]]


def test_the_answer_has_the_documented_shape(client):
    body = search(client, q="mesotherepy")
    assert set(body) == {"treatment", "understood", "understood_as", "variant", "alternatives", "place", "radius_km",
                         "sort", "results", "next_cursor"}
    assert body["treatment"] == {"slug": "mesotherapy", "name": "Mesotherapy"}
    assert body["understood_as"] == "Showing Mesotherapy for 'mesotherepy'"
    assert body["place"]["name"] == "London" and body["place"]["country"] == "GB"
    assert {"lat", "lng"} <= set(body["place"])
    first = body["results"][0]
    assert set(first) == {"venue", "distance_km", "services", "next_available", "score"}
    assert {"id", "slug", "name", "address", "lat", "lng", "rating", "review_count", "timezone"} <= set(first["venue"])
    service = first["services"][0]
    assert service["price"] == "120.00" and service["currency"] == "GBP" and service["duration_minutes"] == 30
    assert first["next_available"] is None and first["score"] is None
    SearchOut.model_validate(body)  # the documented schema (OpenAPI) matches what is sent


def test_only_venues_offering_it_within_the_radius_nearest_first(client):
    body = search(client, q="mesotherapy", sort="distance")
    assert names(body) == ["Soho Skin", "Camden Clinic", "Brixton Beauty", "Greenwich Glow"]
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances) and distances[-1] <= 10
    assert "Far Away" in names(search(client, q="mesotherapy", sort="distance", radius_km=40))


def test_pages_follow_the_cursor_without_gaps_or_repeats(client):
    for sort in ("recommended", "distance", "rating", "price"):
        seen, cursor = [], None
        while True:
            params = {"q": "mesotherapy", "sort": sort, "limit": 1, **({"cursor": cursor} if cursor else {})}
            body = search(client, **params)
            seen += names(body)
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == ["Brixton Beauty", "Camden Clinic", "Greenwich Glow", "Soho Skin"], sort


def test_price_sort_and_filters(client):
    assert names(search(client, q="mesotherapy", sort="price")) == ["Brixton Beauty", "Soho Skin", "Camden Clinic",
                                                                     "Greenwich Glow"]
    assert names(search(client, q="mesotherapy", sort="price", price_max="130")) == ["Brixton Beauty", "Soho Skin"]
    assert names(search(client, q="mesotherapy", sort="price", price_min="155")) == ["Camden Clinic", "Greenwich Glow"]
    assert names(search(client, q="mesotherapy", kind="spa")) == ["Greenwich Glow"]


def test_rating_sort_and_minimum_rating_read_the_reviews_aggregate(client, london):
    index.set_rating(london["Greenwich Glow"].id, Decimal("4.90"), 120)
    index.set_rating(london["Brixton Beauty"].id, Decimal("5.00"), 1)  # one review: shrunk toward the mean
    index.set_rating(london["Soho Skin"].id, Decimal("3.20"), 40)
    assert names(search(client, q="mesotherapy", sort="rating"))[:2] == ["Greenwich Glow", "Brixton Beauty"]
    assert names(search(client, q="mesotherapy", min_rating="4.5", sort="distance")) == ["Brixton Beauty",
                                                                                         "Greenwich Glow"]


def test_needle_free_prefers_the_venue_offering_it(client):
    body = search(client, q="needle free mesotherapy")
    assert body["variant"] == "needle-free"
    assert names(body)[0] == "Camden Clinic"  # not the nearest, but the one with the variant
    assert names(search(client, q="mesotherapy", variant="needle-free")) == ["Camden Clinic"]


def test_explain_returns_the_score_parts_in_order(client):
    body = search(client, q="mesotherapy", explain="1")
    totals = [r["score"]["total"] for r in body["results"]]
    assert totals == sorted(totals, reverse=True)
    parts = body["results"][0]["score"]
    assert set(parts) == {"rating", "distance", "price", "availability", "variant", "total"}
    assert 0 <= parts["distance"] <= 1 and 0 <= parts["price"] <= 1


@time_machine.travel(NOW, tick=False)
def test_availability_filters_read_the_next_free_slot(client, london):
    rows = SearchRow.objects.filter(treatment__slug="mesotherapy")
    rows.filter(venue=london["Soho Skin"]).update(next_available=NOW + dt.timedelta(hours=2))  # 11:00 London
    rows.filter(venue=london["Camden Clinic"]).update(next_available=dt.datetime(2026, 3, 6, 18, 30, tzinfo=dt.UTC))
    body = search(client, q="mesotherapy", sort="distance")
    assert body["results"][0]["next_available"] == "2026-03-02T11:00:00Z"
    assert names(search(client, q="mesotherapy", within_days="1")) == ["Soho Skin"]
    assert names(search(client, q="mesotherapy", within_days="7", sort="distance")) == ["Soho Skin", "Camden Clinic"]
    assert names(search(client, q="mesotherapy", time_of_day="evening")) == ["Camden Clinic"]
    assert names(search(client, q="mesotherapy", time_of_day="morning")) == ["Soho Skin"]
    assert names(search(client, q="mesotherapy", available_on="2026-03-03")) == ["Soho Skin"]
    # The soonest free slot also lifts a venue in the recommended order.
    assert names(search(client, q="mesotherapy"))[0] == "Soho Skin"


def test_coordinates_work_instead_of_a_town(client):
    body = search(client, q="mesotherapy", near="51.5136,-0.1365", sort="distance")
    assert body["place"]["country"] == "GB" and body["place"]["name"].startswith("near ")
    assert names(body)[0] == "Soho Skin"
    response = client.get("/api/v1/search", {"q": "mesotherapy", "lat": "48.86", "lng": "2.35"})
    assert [r["venue"]["name"] for r in response.json()["results"]] == ["Paris Peau"]


def test_alternative_place_names_and_countries(client):
    assert search(client, q="mesotherapy", near="Londres")["place"]["country"] == "GB"
    assert search(client, q="mesotherapy", near="London, CA")["place"]["country"] == "CA"
    assert search(client, q="mesotherapy", near="London", country="CA")["place"]["country"] == "CA"


@pytest.mark.parametrize("params", [
    {"radius_km": "-1"},
    {"radius_km": "10000"},
    {"radius_km": "0"},
    {"lat": "999", "lng": "0"},
    {"lat": "51.5"},
    {"sort": "cheapest"},
    {"limit": "0"},
    {"limit": "500"},
    {"price_min": "50", "price_max": "10"},
    {"price_min": "-5"},
    {"within_days": "-1"},
    {"time_of_day": "noon"},
    {"available_on": "next tuesday"},
    {"kind": "shop"},
    {"min_rating": "6"},
    {"q": "x" * 201},
])
def test_bad_parameters_are_422_with_the_error_shape(client, params):
    response = client.get("/api/v1/search", {"q": "mesotherapy", "near": "London", **params})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] in {"invalid", "invalid_cursor"} and body["message"]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJzIjoiZGlzdGFuY2UifQ"])
def test_a_malformed_cursor_is_400_bad_cursor(client, cursor):
    response = client.get("/api/v1/search", {"q": "mesotherapy", "near": "London", "cursor": cursor})
    assert response.status_code == 400 and response.json()["code"] == "bad_cursor" and response.json()["message"]


def test_a_cursor_from_another_sort_is_refused(client):
    cursor = search(client, q="mesotherapy", sort="distance", limit=1)["next_cursor"]
    response = client.get("/api/v1/search", {"q": "mesotherapy", "near": "London", "sort": "price", "cursor": cursor})
    assert response.status_code == 400 and response.json()["code"] == "bad_cursor"


def test_text_that_names_no_treatment_is_422_with_suggestions(client):
    response = client.get("/api/v1/search", {"q": "xyzzy qwerty", "near": "London"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "treatment_not_found" and body["suggestions"]


def test_an_unknown_place_is_422_with_suggestions(client):
    response = client.get("/api/v1/search", {"q": "mesotherapy", "near": "Lodnon"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "place_not_found"
    assert body["suggestions"][0]["name"] == "London"


def test_places_autocomplete(client):
    rows = client.get("/api/v1/places", {"q": "lon"}).json()
    assert rows[0]["name"] == "London" and rows[0]["country"] == "GB" and rows[0]["label"] == "London, United Kingdom"
    assert client.get("/api/v1/places", {"q": "mila"}).json()[0]["name"] == "Milan"
    assert client.get("/api/v1/places", {"q": ""}).status_code == 422


def test_treatments_autocomplete_uses_the_search_matcher(client):
    rows = client.get("/api/v1/treatments", {"q": "mesotherepy"}).json()
    assert rows[0]["slug"] == "mesotherapy"


def test_cursor_round_trip_keeps_types():
    cursor = page_cursor.Cursor("price", (Decimal("45.50"), 1e-9), 7, NOW, 80.0)
    q = sql.Query(treatment_id=1, lat=51.5, lng=-0.1, radius_km=10.0, now=NOW, sort="price")
    back = page_cursor.decode_cursor(page_cursor.encode_cursor(cursor, q), q)
    assert back.keys == ("45.50", 1e-9) and back.last_id == 7 and back.now == NOW and back.median == 80.0


def _cursor(payload: dict) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("payload", [
    {"s": "distance", "k": [1e308 * 10], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None},
    {"s": "distance", "k": [10**400], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None},
    {"s": "distance", "k": [0.1], "i": 10**30, "t": "2026-03-02T09:00:00+00:00", "m": None},
    {"s": "distance", "k": [0.1], "i": 1, "t": "9999-12-31T23:59:59+00:00", "m": None},
    {"s": "distance", "k": [0.1], "i": 1, "t": "2026-03-02T09:00:00", "m": None},
    {"s": "recommended", "k": [0.5], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": -120.0},
    {"s": "price", "k": ["NaN", 0.1], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None},
    {"s": "price", "k": [12, 0.1], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None},
    {"s": ["distance"], "k": [0.1], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None},
    ["not", "an", "object"],
])
def test_a_forged_cursor_is_400_not_a_server_error(client, payload):
    sort = payload["s"] if isinstance(payload, dict) and isinstance(payload["s"], str) else "distance"
    response = client.get("/api/v1/search", {"q": "mesotherapy", "near": "London", "sort": sort,
                                             "cursor": _cursor(payload)})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "bad_cursor"

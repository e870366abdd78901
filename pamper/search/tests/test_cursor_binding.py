"""A search cursor belongs to the query it came from: reused with other parameters, or tampered, it is 400 bad_cursor.

Before, a distance cursor reused with a smaller radius skipped every ring and
sent an empty statement to the database (a SQL syntax error, answered as 503
"busy, retry" on SQLite and 500 on PostgreSQL).
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

import pamper.api  # noqa: F401  (mounts every router, as the URLconf does)

pytestmark = pytest.mark.usefixtures("london")

FIRST = {"q": "mesotherapy", "near": "London", "sort": "distance", "radius_km": "50", "limit": "1"}
# Every parameter that changes which rows a page holds or their order, each with another value.
CHANGES = [
    {"radius_km": "0.5"}, {"radius_km": "20"}, {"near": "Paris"}, {"near": "51.52,-0.13"}, {"sort": "price"},
    {"q": "anti-wrinkle injections"}, {"q": "needle-free mesotherapy"}, {"price_min": "100"}, {"price_max": "100"},
    {"min_rating": "1"}, {"kind": "clinic"}, {"variant": "needle-free"}, {"available_on": "2026-03-20"},
    {"within_days": "3"}, {"time_of_day": "morning"},
]


def _first_cursor(client: Client, **extra: str) -> str:
    body = client.get("/api/v1/search", {**FIRST, **extra}).json()
    assert body["next_cursor"], body
    return body["next_cursor"]


def _bad_cursor(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "bad_cursor" and body["message"], body


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_a_cursor_reused_with_other_parameters_is_400_bad_cursor(change: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    cursor = _first_cursor(client)
    _bad_cursor(client.get("/api/v1/search", {**FIRST, **change, "cursor": cursor}))


def test_the_cursor_with_its_own_query_still_pages_on() -> None:
    client = Client()
    seen, params = [], dict(FIRST)
    while True:
        body = client.get("/api/v1/search", params).json()
        seen += [r["venue"]["name"] for r in body["results"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert seen[0] == "Soho Skin" and len(seen) == len(set(seen)) == 5


def _flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1:]


def test_a_tampered_cursor_is_400_bad_cursor() -> None:
    client = Client(raise_request_exception=False)
    cursor = _first_cursor(client)
    for tampered in (_flip(cursor, 3), _flip(cursor, len(cursor) - 2), cursor[:-1], cursor + "x", "nonsense", "a:b"):
        _bad_cursor(client.get("/api/v1/search", {**FIRST, "cursor": tampered}))


def test_a_cursor_forged_without_the_signature_is_400_bad_cursor() -> None:
    """The old unsigned form, with keys a real page could have had, is refused: only the server makes cursors."""
    payload = {"s": "distance", "k": [0.5], "i": 1, "t": "2026-03-02T09:00:00+00:00", "m": None}
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    _bad_cursor(Client(raise_request_exception=False).get("/api/v1/search", {**FIRST, "cursor": forged}))


def test_the_search_page_answers_a_reused_cursor_with_a_400_and_a_way_back() -> None:
    client = Client(raise_request_exception=False)
    cursor = _first_cursor(client)
    response = client.get("/search/", {**FIRST, "radius_km": "0.5", "cursor": cursor})
    assert response.status_code == 400
    assert "Start again from the first page" in response.content.decode()

"""A reviews cursor belongs to the venue and sort it came from; tampered or reused elsewhere it is 400 bad_cursor."""

from __future__ import annotations

import base64
import json

import pytest
import time_machine
from django.test import Client

from . import factories as f
from .test_api import NOW, error, reviewed


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_cursor_reused_on_another_venue_or_tampered_is_400_bad_cursor(client: Client, shop) -> None:
    for days in (3, 2):
        reviewed(shop, 4, days_ago=days)
    cursor = client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"limit": 1}).json()["next_cursor"]
    assert client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"cursor": cursor}).status_code == 200
    other = f.venue(name="Other Rooms", slug="other-rooms")
    error(client.get(f"/api/v1/venues/{other.pk}/reviews", {"cursor": cursor}), 400, "bad_cursor")
    tampered = cursor[:2] + ("A" if cursor[2] != "A" else "B") + cursor[3:]
    error(client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"cursor": tampered}), 400, "bad_cursor")
    forged = base64.urlsafe_b64encode(json.dumps(["newest", 5, NOW.isoformat(), 1]).encode()).decode().rstrip("=")
    error(client.get(f"/api/v1/venues/{shop.venue.pk}/reviews", {"cursor": forged}), 400, "bad_cursor")

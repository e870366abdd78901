"""Text holding a NUL character is refused before any view sees it: PostgreSQL can neither store nor compare it, so
a workspace search for "a\\0b" and a booking's notes with one were a 500 there (found by trying them)."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from pamper.bookings.models import Booking
from pamper.tests.world import World, at

pytestmark = pytest.mark.django_db


def _said(language: str = "en") -> str:
    with translation.override(language):
        return translation.gettext("Text cannot hold a NUL character.")


@pytest.mark.parametrize("path", [
    "/partner/{v}/clients/?q=a%00b", "/partner/{v}/payments/?kind=%00", "/partner/{v}/bookings/new/?client=1%00",
    "/search/?q=facial&near=Lon%00don", "/treatments/?q=%00", "/de/partner/{v}/clients/?q=%00",
])
def test_a_page_asked_with_a_nul_character_is_a_400_that_says_why(world: World, path: str) -> None:
    response = world.browser("owner").get(path.format(v=world.venue.pk))
    assert response.status_code == 400
    assert _said("de" if path.startswith("/de/") else "en") in response.content.decode()


def test_the_api_refuses_a_nul_character_per_field_in_the_clients_language(world: World) -> None:
    body = {"venue_id": world.venue.pk, "services": [world.facial_service.pk], "start": at(5, 10).isoformat(),
            "notes": "gate\u0000code"}
    response = world.api("customer").post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                                          HTTP_IDEMPOTENCY_KEY="nul-1", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "notes", "message": _said("fr")}]
    assert not Booking.objects.exists()
    nested = {"services": [world.facial_service.pk], "start": at(6, 11).isoformat(),
              "client": {"name": "Nu\u0000ll", "phone": "01"}}
    answer = world.api("owner").post(f"/api/v1/partner/venues/{world.venue.pk}/bookings", json.dumps(nested),
                                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="nul-2")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "client.name"
    query = world.api("customer").get("/api/v1/search", {"q": "facial\u0000", "near": "London"})
    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "q"


def test_a_backslash_before_u0000_is_text_not_a_nul(world: World) -> None:
    """The body is only parsed again when its bytes hold the escape; a written backslash is no NUL."""
    body = {"venue_id": world.venue.pk, "services": [world.facial_service.pk], "start": at(5, 10).isoformat(),
            "notes": "C:\\u0000 is a path, not a NUL"}
    response = world.api("customer").post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                                          HTTP_IDEMPOTENCY_KEY="nul-3")
    assert response.status_code == 201, response.content

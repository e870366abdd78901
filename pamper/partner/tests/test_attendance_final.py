"""Attended is final: a visit the client came to never becomes a no-show, so no no-show fee can be charged for it.
A no-show marked by mistake can still be corrected to attended."""

from __future__ import annotations

import json

import pytest
from django.test import Client as Browser

from pamper.bookings.models import Status

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db

REFUSAL = "Clara Rose was marked as attended, so this visit can no longer be marked as a no-show"


def test_the_desk_cannot_turn_an_attended_visit_into_a_no_show(client: Browser, rose: Salon, frozen) -> None:  # type: ignore[no-untyped-def]
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    frozen.move_to(utc(2026, 5, 5, 10, 20))
    base = f"/partner/{rose.venue.pk}/bookings/{booking.pk}/"
    client.force_login(rose.reception)
    assert client.post(base + "no-show/").status_code == 302
    assert client.post(base + "attended/").status_code == 302  # the no-show was a mistake: she came late
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):  # the side panel, and the booking's page without scripts
        refused = client.post(base + "no-show/", **headers)
        assert refused.status_code == 409 and REFUSAL in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.ATTENDED
    page = client.get(base).content.decode()
    assert 'id="mark-no-show"' not in page and "cannot become a no-show" in page


def test_the_partner_api_refuses_the_flip_with_a_409_in_the_venues_words(client: Browser, rose: Salon,
                                                                         frozen) -> None:  # type: ignore[no-untyped-def]
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    frozen.move_to(utc(2026, 5, 5, 11, 30))
    base = f"/api/v1/partner/venues/{rose.venue.pk}/bookings/{booking.pk}/"
    headers = factories.bearer(rose.owner)

    def post(what: str):  # type: ignore[no-untyped-def]
        return client.post(base + what, json.dumps({}), content_type="application/json", **headers)

    assert post("attended").json()["status"] == "attended"
    refused = post("no-show")
    assert refused.status_code == 409
    assert refused.json()["code"] == "already_attended" and refused.json()["message"].startswith(REFUSAL)
    assert post("attended").json()["status"] == "attended"  # marking it again is harmless
    booking.refresh_from_db()
    assert booking.status == Status.ATTENDED

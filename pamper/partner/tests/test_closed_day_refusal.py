"""A visit put on a day the venue is closed is refused with that reason and the closure's own words, not "Nobody who
performs this works at that time" (a new owner's front desk tried Christmas Day and went to look at the shifts)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client as Browser

from pamper.venues import actions as venue_actions

from . import factories
from .factories import Salon

pytestmark = pytest.mark.django_db


def desk(browser: Browser, rose: Salon, start: str, language: str = "en"):  # type: ignore[no-untyped-def]
    body = {"services": [rose.facial.pk], "start": start, "client": {"name": "Xena Xmas", "phone": "07700 900999"}}
    return browser.post(f"/api/v1/partner/venues/{rose.venue.pk}/bookings", json.dumps(body),
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **factories.bearer(rose.owner))


def test_a_visit_on_a_closed_day_says_the_venue_is_closed(client: Browser, rose: Salon) -> None:
    venue_actions.add_closure(venue=rose.venue, start_date=dt.date(2026, 5, 7), end_date=dt.date(2026, 5, 8),
                              reason="Staff training")
    answer = desk(client, rose, "2026-05-07T11:00:00+01:00")
    assert answer.status_code == 422
    assert answer.json()["code"] == "outside_hours"  # the code clients already handle
    assert answer.json()["message"] == "Rose Studio is closed on Thu 7 May 2026 (Staff training)."
    german = desk(client, rose, "2026-05-08T11:00:00+01:00", "de").json()["message"]
    assert "8. Mai 2026" in german and "Staff training" in german and "closed" not in german


def test_a_time_nobody_works_on_an_open_day_keeps_its_reason(client: Browser, rose: Salon) -> None:
    answer = desk(client, rose, "2026-05-07T20:00:00+01:00")
    assert answer.status_code == 422 and answer.json()["message"] == "Nobody who performs this works at that time."

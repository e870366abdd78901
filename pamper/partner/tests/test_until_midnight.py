"""Opening hours and shifts until midnight: an end of 24:00 (or 00:00, what a time picker offers) is taken on the
workspace pages and by the partner API, shown as 24:00, and availability then offers slots up to midnight.
Nothing starts at 24:00."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as Browser

from pamper.lib.walltime import END_OF_DAY
from pamper.venues.models import OpeningHours, Shift

from .factories import Salon
from .test_api import Api

pytestmark = pytest.mark.django_db


def _late_slots(client: Browser, rose: Salon) -> list[tuple[str, str]]:
    answer = client.get(f"/api/v1/venues/{rose.venue.pk}/availability",
                        {"services": str(rose.facial.pk), "from": "2026-05-05", "to": "2026-05-05",
                         "staff": str(rose.ben.pk)})
    assert answer.status_code == 200, answer.content
    return [(s["start"], s["end"]) for s in answer.json()["slots"] if s["start"] >= "2026-05-05T18"]


def test_the_owner_opens_until_midnight_and_the_last_slot_ends_at_midnight(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    base = f"/partner/{rose.venue.pk}"
    assert _late_slots(client, rose) == []  # Tuesday 5 May: open 09:00-18:00
    hours = client.post(base + "/hours/new/", {"weekday": "1", "opens": "18:00", "closes": "24:00"})
    assert hours.status_code == 302, hours.content.decode()[:800]
    shift = client.post(f"{base}/staff/{rose.ben.pk}/shifts/new/", {"weekday": "1", "start": "18:00", "end": "00:00"})
    assert shift.status_code == 302, shift.content.decode()[:800]
    assert OpeningHours.objects.get(venue=rose.venue, weekday=1, opens=dt.time(18)).closes == END_OF_DAY
    assert Shift.objects.get(staff=rose.ben, weekday=1, start=dt.time(18)).end == END_OF_DAY
    assert "Shift added: Tuesday 18:00–24:00." in client.get(shift["Location"]).content.decode()
    assert "<td>18:00</td><td>24:00</td>" in client.get(base + "/hours/").content.decode()
    assert "18:00–24:00" in client.get(base + "/staff/").content.decode()
    assert "09:00–18:00, 18:00–24:00" in client.get(rose.venue.get_absolute_url()).content.decode()
    for view in ("day", "week"):  # the workspace calendar lays the evening out to midnight
        assert client.get(base + f"/calendar/?date=2026-05-05&view={view}").status_code == 200
    day = Api(client, rose.owner)("GET", f"/venues/{rose.venue.pk}/calendar?date=2026-05-05").json()["days"][0]
    ben = next(s for s in day["staff"] if s["id"] == rose.ben.pk)
    assert ben["working"][-1] == {"start": "2026-05-05T18:00:00+01:00", "end": "2026-05-06T00:00:00+01:00"}
    late = _late_slots(client, rose)
    assert late[0] == ("2026-05-05T18:00:00+01:00", "2026-05-05T19:00:00+01:00")
    assert late[-1] == ("2026-05-05T23:00:00+01:00", "2026-05-06T00:00:00+01:00")


def test_a_start_of_24_00_is_refused_on_the_pages(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    base = f"/partner/{rose.venue.pk}"
    shift = client.post(f"{base}/staff/{rose.ben.pk}/shifts/new/", {"weekday": "1", "start": "24:00", "end": "24:00"})
    hours = client.post(base + "/hours/new/", {"weekday": "6", "opens": "24:00", "closes": "24:00"})
    for page in (shift, hours):
        assert page.status_code == 400 and "24:00 can only end a day" in page.content.decode()
    assert not Shift.objects.filter(staff=rose.ben, weekday=1, end=END_OF_DAY).exists()
    assert not OpeningHours.objects.filter(venue=rose.venue, weekday=6, closes=END_OF_DAY).exists()


def test_the_partner_api_takes_and_gives_a_shift_until_24_00(client: Browser, rose: Salon) -> None:
    api = Api(client, rose.owner)
    path = f"/venues/{rose.venue.pk}/shifts"
    made = api("POST", path, {"staff_id": rose.ben.pk, "weekday": 4, "start": "20:00", "end": "24:00"})
    assert made.status_code == 201, made.content
    assert (made.json()["start"], made.json()["end"]) == ("20:00", "24:00")
    same = api("POST", path, {"staff_id": rose.ana.pk, "weekday": 4, "start": "20:00", "end": "00:00"})
    assert same.status_code == 201 and same.json()["end"] == "24:00"  # 00:00 as an end is the same midnight
    listed = api("GET", f"{path}?staff_id={rose.ben.pk}").json()
    assert [(s["start"], s["end"]) for s in listed if s["weekday"] == 4] == [("10:00", "18:00"), ("20:00", "24:00")]
    clash = api("POST", path, {"staff_id": rose.ben.pk, "weekday": 4, "start": "23:00", "end": "24:00"})
    assert clash.status_code == 409 and "already works 20:00–24:00" in clash.json()["message"]
    start = api("POST", path, {"staff_id": rose.ben.pk, "weekday": 5, "start": "24:00", "end": "24:00"})
    assert start.status_code == 422 and "24:00 can only end a day" in start.content.decode()
    assert not Shift.objects.filter(staff=rose.ben, weekday=5, end=END_OF_DAY).exists()

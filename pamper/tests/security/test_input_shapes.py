"""The API reads each kind of value one way (pamper/lib/fields.py, pamper/lib/dates.py) and refuses the rest with
a 422 naming the field: found by probing the partner API as an owner, where each of these was stored changed.

- a time of day is 'HH:MM' ('HH:MM:00' too): `900` was read as seconds (00:15), `"11:00+05:00"` lost its
  offset, `"09:00:30"` its seconds;
- an amount is ASCII digits with at most two decimals: `"٤٥"`, `"４５"`, `"1_0"`, `".5e2"` and `"25."` were
  read by Decimal as 45, 45, 10, 50 and 25;
- a name is not spaces only: `"   "` was a blank service on the venue's public page;
- an instant is ISO text: `1796000000` was read as a Unix time.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pamper.accounts.models import ApiToken
from pamper.payments import rules
from pamper.tests.world import World
from pamper.venues.models import Service, Shift, Staff

pytestmark = pytest.mark.django_db

NOT_TIMES = [900, 46800.5, "11:00+05:00", "12:00Z", "09:00:30", "09:00:00.5", "9:00", "٠٩:٠٠", "24:00", "", None]
NOT_AMOUNTS = ["٤٥", "４５", "1_0", ".5e2", "25.", "2.5e1", "-1", "1.005", "NaN", "Infinity", "4²", " ", True]
BLANKS = ["   ", "\t", " \n "]


def _owner(world: World) -> Client:
    _, raw = ApiToken.issue(world.owner, two_factor=True)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, "/api/v1" + path, json.dumps(body), content_type="application/json")


def _refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, (answer.status_code, answer.content[:300])
    body = answer.json()
    assert body["code"] == "invalid" and [e["field"] for e in body["errors"]] == [field], body


@pytest.mark.parametrize("value", NOT_TIMES)
def test_a_shift_time_is_hours_and_minutes_or_nothing(world: World, value: Any) -> None:
    client = _owner(world)
    path = f"/partner/venues/{world.venue.pk}/shifts"
    before = list(Shift.objects.filter(staff=world.staff).values_list("weekday", "start", "end"))
    _refused(_send(client, "POST", path, {"staff_id": world.staff.pk, "weekday": 6, "start": value, "end": "22:00"}),
             "start")
    assert list(Shift.objects.filter(staff=world.staff).values_list("weekday", "start", "end")) == before


def test_a_shift_time_may_carry_zero_seconds_as_the_openapi_time_format_writes_it(world: World) -> None:
    client = _owner(world)
    staff = _send(client, "POST", f"/partner/venues/{world.venue.pk}/staff", {"name": "Ana Lopes"}).json()["id"]
    path = f"/partner/venues/{world.venue.pk}/shifts"
    made = _send(client, "POST", path, {"staff_id": staff, "weekday": 6, "start": "09:30:00", "end": "13:15"})
    assert made.status_code == 201, made.content
    assert (made.json()["start"], made.json()["end"]) == ("09:30", "13:15")


@pytest.mark.parametrize("value", NOT_AMOUNTS)
def test_an_amount_is_ascii_digits_with_at_most_two_decimals(world: World, value: Any) -> None:
    client = _owner(world)
    venue = world.venue.pk
    service = {"treatment_id": world.facial.pk, "name": "Glow facial", "duration_minutes": 30, "price": value}
    _refused(_send(client, "POST", f"/partner/venues/{venue}/services", service), "price")
    _refused(_send(client, "PATCH", f"/partner/venues/{venue}/services/{world.facial_service.pk}", {"price": value}),
             "price")
    policy = {"mode": "deposit", "deposit_kind": "percent", "deposit_value": value}
    _refused(_send(client, "PUT", f"/partner/venues/{venue}/payment-policy", policy), "deposit_value")
    if str(value).strip():  # a blank filter in a query string is no filter
        search = Client().get("/api/v1/search", {"q": "facial", "near": "London", "price_min": value})
        assert search.status_code == 422 and search.json()["errors"][0]["field"] == "price_min", search.content
    if isinstance(value, str):
        with pytest.raises(ValueError):
            rules.parse_money(value)  # gift cards and refunds
    assert not Service.objects.filter(name="Glow facial").exists()
    assert Service.objects.get(pk=world.facial_service.pk).price == world.facial_service.price


def test_amounts_as_people_write_them_are_read_exactly(world: World) -> None:
    for text, value in (("45", "45"), (" 45.5 ", "45.5"), ("45.50", "45.50"), ("0", "0")):
        assert rules.parse_money(text) == Decimal(value)
    client = _owner(world)
    policy = {"mode": "deposit", "deposit_kind": "percent", "deposit_value": 20}  # a whole JSON number is fine
    answer = _send(client, "PUT", f"/partner/venues/{world.venue.pk}/payment-policy", policy)
    assert answer.status_code == 200 and Decimal(answer.json()["deposit_value"]) == 20, answer.content


@pytest.mark.parametrize("value", BLANKS)
def test_a_name_of_spaces_only_is_no_name(world: World, value: str) -> None:
    client = _owner(world)
    venue = world.venue.pk
    service = {"treatment_id": world.facial.pk, "name": value, "duration_minutes": 30, "price": "45"}
    _refused(_send(client, "POST", f"/partner/venues/{venue}/services", service), "name")
    _refused(_send(client, "POST", f"/partner/venues/{venue}/staff", {"name": value}), "name")
    _refused(_send(client, "PATCH", f"/partner/venues/{venue}/staff/{world.staff.pk}", {"name": value}), "name")
    register = {"email": "new.person@example.com", "password": "a long new password 7", "name": value}
    _refused(_send(Client(), "POST", "/auth/register", register), "name")
    assert not Staff.objects.filter(name="").exists()
    assert Staff.objects.get(pk=world.staff.pk).name.strip()


def test_names_lose_their_surrounding_spaces(world: World) -> None:
    client = _owner(world)
    made = _send(client, "POST", f"/partner/venues/{world.venue.pk}/staff", {"name": "  Ana Lopes  "})
    assert made.status_code == 201 and made.json()["name"] == "Ana Lopes", made.content


@pytest.mark.parametrize("value", [1796000000, "1796000000", 1796000000.0, "2026-03-10", "10:00", True])
def test_an_instant_is_iso_text_with_its_offset(world: World, value: Any) -> None:
    client = _owner(world)
    walk_in = {"name": "Walk In", "phone": "07700 900123"}
    body = {"services": [world.facial_service.pk], "start": value, "client": walk_in}
    _refused(_send(client, "POST", f"/partner/venues/{world.venue.pk}/bookings", body), "start")
    customer = {"venue_id": world.venue.pk, "services": [world.facial_service.pk], "start": value}
    _, raw = ApiToken.issue(world.customer)
    _refused(_send(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), "POST", "/bookings", customer), "start")


NOT_PHONES = ["abc<>²abc", "²²²", "call me", "12345", "+44 20 7946 0000 ext 12", "٠٧٧٠٠ ٩٠٠١٢٣", "0" * 18]


@pytest.mark.parametrize("value", NOT_PHONES)
def test_a_phone_number_is_a_phone_number(world: World, value: str) -> None:
    """A customer's phone of 'abc<>²abc<>²' was kept and shown to the venue as a link that dials it."""
    customer = _signed_in(world.customer)
    profile = customer.post("/accounts/profile/", {"name": "Customer Person", "phone": value})
    assert profile.status_code == 400 and "Enter a phone number" in profile.content.decode()
    assert world.customer.__class__.objects.get(pk=world.customer.pk).phone != value
    client = _owner(world)
    walk_in = {"name": "Walk In", "phone": value}
    body = {"services": [world.facial_service.pk], "start": "2026-03-04T10:00:00+00:00", "client": walk_in}
    _refused(_send(client, "POST", f"/partner/venues/{world.venue.pk}/bookings", body), "client.phone")


def test_phone_numbers_as_people_write_them_are_kept(world: World) -> None:
    customer = _signed_in(world.customer)
    for value in ("+44 20 7946 0000", "07700 900123", "(020) 7946-0000", "+33 1.23.45.67.89", ""):
        answer = customer.post("/accounts/profile/", {"name": "Customer Person", "phone": value})
        assert answer.status_code == 302, (value, answer.content.decode()[-500:])
        assert world.customer.__class__.objects.get(pk=world.customer.pk).phone == value


def test_a_field_the_api_does_not_know_is_refused_not_ignored(world: World) -> None:
    """PATCH a service with {"pric": "50"} answered 200 and changed nothing: a misspelt optional field passed for a
    change that was never made. Every request body now refuses fields it does not know, naming them."""
    client = _owner(world)
    path = f"/partner/venues/{world.venue.pk}/services/{world.facial_service.pk}"
    _refused(_send(client, "PATCH", path, {"pric": "50"}), "pric")
    assert Service.objects.get(pk=world.facial_service.pk).price == world.facial_service.price
    made = {"treatment_id": world.facial.pk, "name": "Glow facial", "duration_minutes": 30, "price": "45", "foo": 1}
    _refused(_send(client, "POST", f"/partner/venues/{world.venue.pk}/services", made), "foo")
    policy = {"mode": "deposit", "deposit_kind": "percent", "deposit_vale": "20"}
    _refused(_send(client, "PUT", f"/partner/venues/{world.venue.pk}/payment-policy", policy), "deposit_vale")

"""The partner API: calendar, bookings, services, staff and shifts for the venues a token's user belongs to."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client as Browser

from pamper.accounts.models import ApiToken
from pamper.bookings.models import Booking, Status
from pamper.venues.models import Service, Shift, Staff

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, browser: Browser, person) -> None:  # type: ignore[no-untyped-def]
        self.browser, self.headers = browser, factories.bearer(person)

    def __call__(self, method: str, path: str, body: Any = None, **headers: str):  # type: ignore[no-untyped-def]
        data = json.dumps(body) if body is not None else ""
        return self.browser.generic(method, "/api/v1/partner" + path, data, content_type="application/json",
                                    **self.headers, **headers)


@pytest.fixture
def owner_api(client: Browser, rose: Salon) -> Api:
    return Api(client, rose.owner)


def test_venues_lists_memberships_with_roles(owner_api: Api, rose: Salon, iris: Salon) -> None:
    body = owner_api("GET", "/venues").json()
    assert body == [{"id": rose.venue.pk, "name": "Rose Studio", "role": "owner", "timezone": "Europe/London",
                     "currency": "GBP", "is_published": True}]


def test_calendar_gives_working_time_breaks_and_events_in_local_time(owner_api: Api, rose: Salon) -> None:
    factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    day = owner_api("GET", f"/venues/{rose.venue.pk}/calendar?date=2026-05-05").json()["days"][0]
    ana = next(s for s in day["staff"] if s["id"] == rose.ana.pk)
    assert ana["working"] == [{"start": "2026-05-05T09:00:00+01:00", "end": "2026-05-05T13:00:00+01:00"},
                              {"start": "2026-05-05T14:00:00+01:00", "end": "2026-05-05T18:00:00+01:00"}]
    assert ana["breaks"] == [{"start": "2026-05-05T13:00:00+01:00", "end": "2026-05-05T14:00:00+01:00"}]
    assert ana["events"][0]["start"] == "2026-05-05T10:00:00+01:00" and ana["events"][0]["title"] == "Clara Rose"


def test_create_a_phone_booking_idempotently(owner_api: Api, rose: Salon) -> None:
    body = {"services": [rose.facial.pk], "start": "2026-05-05T15:00:00+01:00", "staff_id": rose.ben.pk,
            "client": {"name": "Phil Phone", "phone": "07700 900555"}, "notes": "first visit"}
    first = owner_api("POST", f"/venues/{rose.venue.pk}/bookings", body, HTTP_IDEMPOTENCY_KEY="desk-42")
    again = owner_api("POST", f"/venues/{rose.venue.pk}/bookings", body, HTTP_IDEMPOTENCY_KEY="desk-42")
    assert first.status_code == 201 and again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json() and Booking.objects.count() == 1
    out = first.json()
    assert out["source"] == "partner" and out["client_name"] == "Phil Phone" and out["total_price"] == "45.00"
    assert out["items"][0]["staff_id"] == rose.ben.pk and out["start"] == "2026-05-05T15:00:00+01:00"


def test_double_booking_is_a_409_with_alternatives(owner_api: Api, rose: Salon) -> None:
    factories.book(rose, utc(2026, 5, 5, 14, 0), staff=rose.ben)
    response = owner_api("POST", f"/venues/{rose.venue.pk}/bookings", {
        "services": [rose.facial.pk], "start": "2026-05-05T15:30:00+01:00", "staff_id": rose.ben.pk,
        "client_id": rose.client.pk})
    assert response.status_code == 409 and response.json()["code"] == "slot_taken" and response.json()["alternatives"]


def test_another_venues_service_or_client_is_refused(owner_api: Api, rose: Salon, iris: Salon) -> None:
    service = owner_api("POST", f"/venues/{rose.venue.pk}/bookings", {
        "services": [iris.facial.pk], "start": "2026-05-05T15:00:00+01:00", "client_id": rose.client.pk})
    client = owner_api("POST", f"/venues/{rose.venue.pk}/bookings", {
        "services": [rose.facial.pk], "start": "2026-05-05T15:00:00+01:00", "client_id": iris.client.pk})
    assert (service.status_code, service.json()["code"]) == (422, "unknown_service")
    assert (client.status_code, client.json()["code"]) == (422, "unknown_client")
    assert not Booking.objects.exists()


def test_move_cancel_and_marks(owner_api: Api, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    base = f"/venues/{rose.venue.pk}/bookings/{booking.pk}"
    moved = owner_api("POST", base + "/move", {"start": "2026-05-05T16:00:00+01:00", "staff_id": rose.ben.pk}).json()
    assert moved["start"] == "2026-05-05T16:00:00+01:00" and moved["items"][0]["staff_id"] == rose.ben.pk
    assert owner_api("POST", base + "/attended").json()["code"] == "not_started"
    with time_machine.travel(utc(2026, 5, 5, 15, 10), tick=False):
        assert owner_api("POST", base + "/no-show").json()["status"] == "no_show"
        assert owner_api("POST", base + "/attended").json()["status"] == "attended"  # came late after all
    second = factories.book(rose, utc(2026, 5, 6, 9, 0), staff=rose.ana)
    no_reason = owner_api("POST", f"/venues/{rose.venue.pk}/bookings/{second.pk}/cancel", {"reason": ""})
    assert no_reason.status_code == 422
    done = owner_api("POST", f"/venues/{rose.venue.pk}/bookings/{second.pk}/cancel",
                     {"reason": "Closed for a leak"}).json()
    assert done["status"] == "cancelled" and done["cancel_reason"] == "Closed for a leak"


def test_list_bookings_in_a_date_range(owner_api: Api, rose: Salon) -> None:
    factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    factories.book(rose, utc(2026, 5, 9, 9, 0), staff=rose.ana)
    rows = owner_api("GET", f"/venues/{rose.venue.pk}/bookings?from=2026-05-05&to=2026-05-06").json()
    assert [r["start"] for r in rows] == ["2026-05-05T10:00:00+01:00"]
    assert owner_api("GET", f"/venues/{rose.venue.pk}/bookings?from=2026-05-06&to=2026-05-01").status_code == 422


def test_services_with_string_prices(owner_api: Api, rose: Salon) -> None:
    created = owner_api("POST", f"/venues/{rose.venue.pk}/services", {
        "treatment_id": rose.facial.treatment_id, "name": "Peel", "price": "65.50", "duration_minutes": 40,
        "staff_ids": [rose.ana.pk]})
    assert created.status_code == 201
    out = created.json()
    assert out["price"] == "65.50" and out["currency"] == "GBP" and out["staff_ids"] == [rose.ana.pk]
    patched = owner_api("PATCH", f"/venues/{rose.venue.pk}/services/{out['id']}", {"price": "70"}).json()
    assert patched["price"] == "70.00" and patched["name"] == "Peel" and patched["staff_ids"] == [rose.ana.pk]
    as_float = owner_api("PATCH", f"/venues/{rose.venue.pk}/services/{out['id']}", {"price": 70.1})
    assert as_float.status_code == 422
    assert Service.objects.get(pk=out["id"]).price == 70
    gone = owner_api("DELETE", f"/venues/{rose.venue.pk}/services/{out['id']}").json()
    assert gone["is_active"] is False


def test_staff_and_shifts(owner_api: Api, rose: Salon) -> None:
    created = owner_api("POST", f"/venues/{rose.venue.pk}/staff",
                        {"name": "Dee", "service_ids": [rose.facial.pk]}).json()
    staff = Staff.objects.get(pk=created["id"])
    assert created["service_ids"] == [rose.facial.pk] and staff.venue == rose.venue
    renamed = owner_api("PATCH", f"/venues/{rose.venue.pk}/staff/{staff.pk}", {"title": "Senior therapist"}).json()
    assert renamed["title"] == "Senior therapist" and renamed["service_ids"] == [rose.facial.pk]
    shift = owner_api("POST", f"/venues/{rose.venue.pk}/shifts",
                      {"staff_id": staff.pk, "weekday": 0, "start": "09:00", "end": "12:30"})
    assert shift.status_code == 201 and shift.json()["end"] == "12:30"
    overlap = owner_api("POST", f"/venues/{rose.venue.pk}/shifts",
                        {"staff_id": staff.pk, "weekday": 0, "start": "12:00", "end": "15:00"})
    assert overlap.status_code == 409 and overlap.json()["code"] == "overlapping_shift"
    listed = owner_api("GET", f"/venues/{rose.venue.pk}/shifts?staff_id={staff.pk}").json()
    assert [(s["weekday"], s["start"], s["end"]) for s in listed] == [(0, "09:00", "12:30")]
    assert owner_api("DELETE", f"/venues/{rose.venue.pk}/shifts/{shift.json()['id']}").status_code == 204
    assert not Shift.objects.filter(staff=staff).exists()


def test_reception_reads_but_cannot_change_the_set_up(client: Browser, rose: Salon) -> None:
    desk = Api(client, rose.reception)
    assert desk("GET", f"/venues/{rose.venue.pk}/services").status_code == 200
    refused = desk("PATCH", f"/venues/{rose.venue.pk}/services/{rose.facial.pk}", {"price": "1"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    rose.facial.refresh_from_db()
    assert str(rose.facial.price) == "45.00"
    booked = desk("POST", f"/venues/{rose.venue.pk}/bookings", {
        "services": [rose.facial.pk], "start": "2026-05-05T15:00:00+01:00", "client_id": rose.client.pk})
    assert booked.status_code == 201


def test_a_practitioner_cannot_book_through_the_api(client: Browser, rose: Salon) -> None:
    response = Api(client, rose.practitioner)("POST", f"/venues/{rose.venue.pk}/bookings", {
        "services": [rose.facial.pk], "start": "2026-05-05T15:00:00+01:00", "client_id": rose.client.pk})
    assert response.status_code == 403 and not Booking.objects.exists()


def test_revoked_or_missing_tokens_are_refused(client: Browser, rose: Salon) -> None:
    api = Api(client, rose.owner)
    ApiToken.objects.update(revoked_at=utc(2026, 5, 5, 6, 0))
    assert api("GET", "/venues").status_code == 401
    assert client.get("/api/v1/partner/venues").status_code == 401


def test_bookings_of_venues_you_left_disappear(owner_api: Api, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    rose.owner.memberships.all().delete()
    assert owner_api("GET", f"/venues/{rose.venue.pk}/bookings/{booking.pk}").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED

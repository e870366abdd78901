"""Issue 13, point 8: clinical records cannot be back-dated (or dated in the future).

A patch test is applied no earlier than its consultation booking starts (or, without one, than
the client's record) and read after it was applied; a session lies inside its booking; nothing
lies in the future; years 1 and 9999 are refused. A genuine late entry keeps the real time and
needs a reason, which is logged. The API answers 422 in the error shape, the pages show the
refusal next to the field, nothing changes, never a 500.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pamper.bookings.models import Booking, Status
from pamper.clinical import actions
from pamper.clinical.models import Consent, Consultation, ProgressPhoto, TreatmentSession
from pamper.errors import Refusal
from pamper.tests.factories import BookingFactory
from pamper.venues.models import AuditEntry, Client

from .conftest import NOW, World, at, image_bytes
from .planting import _consultation_booking

A_MONTH_AGO = NOW - dt.timedelta(days=30)


def _client(world: World, since: dt.datetime = A_MONTH_AGO) -> Client:
    """The customer's record at the venue, begun `since`."""
    client = world.client_of(world.customer)
    Client.objects.filter(pk=client.pk).update(created_at=since)
    client.refresh_from_db()
    return client


def _waiting_treatment(world: World, client: Client, consultation: Booking) -> Booking:
    return BookingFactory(client=client, customer=world.customer, depends_on=consultation, service=world.meso_service,
                          staff=world.staff, status=Status.AWAITING_PATCH_TEST, start=at(3, 10))  # until 10:20, 150


def _post(world: World, path: str, body: dict[str, Any]) -> Any:
    # The manager: a clinical role that sees every client, booked with a practitioner or not.
    return world.api("manager").post(f"/api/v1/clinical/venues/{world.venue.pk}{path}", data=json.dumps(body),
                                          content_type="application/json")


def _nothing_recorded(waiting: Booking | None = None) -> None:
    assert not Consultation.objects.exists() and not TreatmentSession.objects.exists()
    assert not AuditEntry.objects.exists()
    if waiting is not None:
        waiting.refresh_from_db()
        assert waiting.status == Status.AWAITING_PATCH_TEST


# ------------------------------------------------------------------ patch tests


def test_a_patch_test_applied_before_its_consultation_is_refused(world: World) -> None:
    client = _client(world)
    consultation = _consultation_booking(world, client, at(1, 10))  # yesterday 10:00-10:30
    waiting = _waiting_treatment(world, client, consultation)
    body = {"treatment_id": world.meso.pk, "booking_id": consultation.pk, "outcome": "passed",
            "applied_at": (at(1, 10) - dt.timedelta(days=3)).isoformat(), "read_at": at(2, 7).isoformat()}
    answer = _post(world, "/patch-tests", body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "time_out_of_range" and answer.json()["field"] == "applied_at"
    assert answer.json()["message"]
    _nothing_recorded(waiting)
    ok = _post(world, "/patch-tests", {**body, "applied_at": at(1, 10, 5).isoformat()})
    assert ok.status_code == 201, ok.content
    assert ok.json()["confirmed_booking_ids"] == [waiting.pk]


def test_a_loose_patch_test_applied_before_the_client_existed_is_refused(world: World) -> None:
    client = _client(world, since=at(1, 12))
    body = {"treatment_id": world.hair.pk, "client_id": client.pk, "outcome": "passed",
            "applied_at": at(1, 11).isoformat(), "read_at": at(2, 7).isoformat()}
    answer = _post(world, "/patch-tests", body)
    assert answer.status_code == 422 and answer.json()["field"] == "applied_at"
    _nothing_recorded()


@pytest.mark.parametrize("applied, read", [
    ("0001-01-01T00:00:00+00:00", "2026-03-02T07:00:00+00:00"),
    ("0001-01-01T00:00:00+00:00", "0001-01-02T00:00:00+00:00"),
    ("9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59+00:00"),
    ("2026-03-01T10:05:00+00:00", "9999-12-31T23:59:59+00:00"),
    ("2026-03-01T10:05:00+00:00", "2026-03-01T10:00:00+00:00"),  # read before applied
    ("2026-03-01T10:05:00+00:00", "2026-03-02T09:00:00+00:00"),  # read in the future
    ("2026-03-01T10:05:00+14:00", "2026-03-02T07:00:00-12:00"),  # the far zones: still before / after
])
def test_out_of_range_patch_test_times_are_a_422_and_change_nothing(world: World, applied: str, read: str) -> None:
    client = _client(world)
    consultation = _consultation_booking(world, client, at(1, 10))
    waiting = _waiting_treatment(world, client, consultation)
    for extra in ({"booking_id": consultation.pk}, {"client_id": client.pk}):
        answer = _post(world, "/patch-tests", {"treatment_id": world.meso.pk, "outcome": "passed",
                                               "applied_at": applied, "read_at": read, **extra})
        assert answer.status_code == 422, (extra, answer.content)
        assert set(answer.json()) >= {"code", "message"}
    _nothing_recorded(waiting)


def test_a_late_patch_test_result_keeps_its_real_time_and_needs_a_logged_reason(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    client = _client(world)
    consultation = _consultation_booking(world, client, at(1, 10))
    frozen.move_to(at(5, 9))  # entered three days after it was read
    body = {"treatment_id": world.meso.pk, "booking_id": consultation.pk, "outcome": "reaction",
            "read_at": at(2, 7).isoformat()}
    refused = _post(world, "/patch-tests", body)
    assert refused.status_code == 422 and refused.json()["code"] == "late_reason_required"
    _nothing_recorded()
    done = _post(world, "/patch-tests", {**body, "late_reason": "Paper record typed up after the system was down."})
    assert done.status_code == 201, done.content
    result = Consultation.objects.get()
    assert (result.applied_at, result.read_at, result.recorded_at) == (at(1, 10, 30), at(2, 7), at(5, 9))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor) == ("late_entry", "consultation", result.pk,
                                                                               world.manager)
    assert entry.reason == "Paper record typed up after the system was down." and entry.at == at(5, 9)
    assert entry.changes == {"field": "read_at", "event_at": at(2, 7).isoformat(), "entered_at": at(5, 9).isoformat()}


def test_the_practitioner_page_shows_an_out_of_range_time_next_to_its_field(world: World) -> None:
    client = _client(world)
    consultation = _consultation_booking(world, client, at(1, 10))
    waiting = _waiting_treatment(world, client, consultation)
    url = f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/patch-test/"
    for applied, read in [("2026-02-26T10:00", "2026-03-02T07:30"), ("0001-01-01T00:00", "2026-03-02T07:30"),
                          ("2026-03-01T10:30", "9999-12-31T23:59"), ("2026-03-01T10:30", "2026-03-05T07:30")]:
        page = world.browser("practitioner").post(url, {"treatment": world.meso.pk, "booking": consultation.pk,
                                                        "outcome": "passed", "applied_at": applied, "read_at": read})
        assert page.status_code == 422, (applied, read, page.status_code)
        html = page.content.decode()
        assert 'aria-invalid="true"' in html and 'class="errorlist"' in html, (applied, read)
    _nothing_recorded(waiting)


# ------------------------------------------------------------------ sessions and photos


def _consent(world: World, client: Client) -> None:
    actions.sign_consent(user=world.customer, client=client, treatment=world.meso, version=None,
                         typed_name="Customer Person", now=NOW)


def test_a_session_lies_inside_its_booking_and_not_in_the_future(world: World) -> None:
    client = _client(world)
    _consent(world, client)
    booking = _consultation_booking(world, client, at(1, 10))  # 10:00-10:30 yesterday
    path = f"/clients/{client.pk}/sessions"
    for performed in ["2026-02-20T10:00:00+00:00", "2026-03-01T11:00:00+00:00", "0001-01-01T00:00:00+00:00",
                      "9999-12-31T00:00:00+00:00"]:
        answer = _post(world, path, {"treatment_id": world.meso.pk, "booking_id": booking.pk,
                                     "performed_at": performed})
        assert answer.status_code == 422, (performed, answer.content)
    for performed in ["2026-03-02T09:00:00+00:00", "2026-01-01T10:00:00+00:00"]:  # future; before the client's record
        answer = _post(world, path, {"treatment_id": world.meso.pk, "performed_at": performed})
        assert answer.status_code == 422, (performed, answer.content)
    _nothing_recorded()
    inside = _post(world, path, {"treatment_id": world.meso.pk, "booking_id": booking.pk,
                                 "performed_at": "2026-03-01T10:10:00+00:00"})
    assert inside.status_code == 201, inside.content
    assert TreatmentSession.objects.get().performed_at == at(1, 10, 10)


def test_a_late_session_needs_a_reason_which_is_logged(world: World) -> None:
    client = _client(world)
    _consent(world, client)
    late = {"treatment_id": world.meso.pk, "performed_at": (NOW - dt.timedelta(days=3)).isoformat()}
    refused = _post(world, f"/clients/{client.pk}/sessions", late)
    assert refused.status_code == 422 and refused.json()["code"] == "late_reason_required"
    assert not TreatmentSession.objects.exists()
    done = _post(world, f"/clients/{client.pk}/sessions", {**late, "late_reason": "Recorded on paper at the time."})
    assert done.status_code == 201, done.content
    session = TreatmentSession.objects.get()
    assert session.performed_at == NOW - dt.timedelta(days=3)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == ("late_entry", "session", session.pk)


def test_the_session_page_shows_a_future_time_next_to_its_field(world: World) -> None:
    client = _client(world)
    _consent(world, client)
    page = world.browser("manager").post(f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/session/",
                                              {"treatment": world.meso.pk, "performed_at": "2026-03-04T10:00"})
    assert page.status_code == 422
    assert 'id="session-at-error"' in page.content.decode()
    assert not TreatmentSession.objects.exists()


def test_photo_and_naive_times_follow_the_same_rule(world: World) -> None:
    client = _client(world, since=at(1, 12))
    upload = image_bytes()
    for taken_at in [dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 12, 31, tzinfo=dt.UTC), at(1, 11),
                     NOW + dt.timedelta(hours=1), dt.datetime(2026, 3, 2, 7, 0)]:  # the last one is naive
        with pytest.raises(Refusal) as refused:
            actions.upload_photo(by=world.practitioner, client=client, treatment=world.meso, data=upload, angle="front",
                                 now=NOW, taken_at=taken_at)
        assert refused.value.status == 422 and refused.value.extra["field"] == "taken_at"
    assert not ProgressPhoto.objects.exists()
    with pytest.raises(Refusal) as naive:
        actions.record_patch_test(by=world.practitioner, venue=world.venue, treatment=world.hair, outcome="passed",
                                  client=client, applied_at=dt.datetime(2026, 3, 1, 13), read_at=at(2, 7), now=NOW)
    assert naive.value.code == "time_zone_required"
    assert not Consent.objects.exists() and not Consultation.objects.exists()

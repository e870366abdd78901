"""The bookings API as a client app sees it: slots, booking, conflicts, idempotency, notice, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.bookings.models import Booking, BookingItem, IdempotencyRecord, Status
from pamper.tests.factories import ResourceFactory
from pamper.venues.models import Closure, TimeOff

from . import helpers as h

pytestmark = pytest.mark.django_db


def slots(client, shop, services, day="2026-05-04", to=None, **extra):  # type: ignore[no-untyped-def]
    ids = ",".join(str(s.id) for s in services)
    params = {"services": ids, "from": day, "to": to or day, **extra}
    response = client.get(f"/api/v1/venues/{shop.venue.id}/availability", params)
    assert response.status_code == 200, response.content
    return response.json()


def post(client, auth, body, **headers):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **auth, **headers)


def body(shop, start="2026-05-05T10:00:00+01:00", services=None, **extra):  # type: ignore[no-untyped-def]
    return {"venue_id": shop.venue.id, "services": [s.id for s in services or [shop.cut]], "start": start, **extra}


# --- availability -------------------------------------------------------------------------------------------


def test_slots_are_local_times_with_offset_after_the_notice(client, shop):
    data = slots(client, shop, [shop.cut])
    assert data["timezone"] == "Europe/London"
    starts = [s["start"] for s in data["slots"]]
    # now is 08:00 BST with an hour's notice: the first slot is 09:00, the last 60-minute slot 17:00
    assert starts[0] == "2026-05-04T09:00:00+01:00"
    assert starts[-1] == "2026-05-04T17:00:00+01:00"
    assert len(starts) == 33
    assert data["slots"][0]["end"] == "2026-05-04T10:00:00+01:00"
    assert set(data["slots"][0]["staff_ids"]) == {shop.anna.id, shop.ben.id}
    assert data["slots"][0]["staff_id"] == shop.anna.id  # preference order


def test_a_booked_slot_disappears_for_that_person_only(client, shop):
    customer = h.customer()
    response = post(client, h.bearer(customer), body(shop, staff_id=shop.ben.id))
    assert response.status_code == 201, response.content
    day = slots(client, shop, [shop.cut], day="2026-05-05")
    by_start = {s["start"]: s["staff_ids"] for s in day["slots"]}
    assert by_start["2026-05-05T10:00:00+01:00"] == [shop.anna.id]
    assert by_start["2026-05-05T09:30:00+01:00"] == [shop.anna.id]  # would overlap Ben's 10:00
    assert set(by_start["2026-05-05T11:00:00+01:00"]) == {shop.anna.id, shop.ben.id}
    only_ben = slots(client, shop, [shop.cut], day="2026-05-05", staff=shop.ben.id)
    assert "2026-05-05T10:00:00+01:00" not in [s["start"] for s in only_ben["slots"]]


def test_two_services_back_to_back_go_to_whoever_performs_each(client, shop):
    # Anna is busy at 10:00-11:00, so a cut at 10:00 goes to Ben and the colour after it to Anna.
    post(client, h.bearer(h.customer()), body(shop, staff_id=shop.anna.id))
    data = slots(client, shop, [shop.cut, shop.colour], day="2026-05-05")
    slot = next(s for s in data["slots"] if s["start"] == "2026-05-05T10:00:00+01:00")
    assert slot["end"] == "2026-05-05T11:30:00+01:00"
    assert [(i["service_id"], i["staff_id"]) for i in slot["items"]] == [(shop.cut.id, shop.ben.id),
                                                                         (shop.colour.id, shop.anna.id)]
    assert slot["items"][1]["start"] == "2026-05-05T11:00:00+01:00"
    response = post(client, h.bearer(h.customer()), body(shop, services=[shop.cut, shop.colour]))
    assert response.status_code == 201, response.content
    items = response.json()["items"]
    assert [i["staff_name"] for i in items] == ["Ben", "Anna"]
    assert response.json()["total_price"] == "75.00"


def test_buffers_keep_the_staff_member_busy_before_and_after(client, shop):
    peel = h.service(shop.venue, minutes=30, before=15, after=15, name="Peel")
    solo = h.staff(shop.venue, [peel], name="Cleo")
    booked = post(client, h.bearer(h.customer()), body(shop, services=[peel], start="2026-05-05T11:00:00+01:00"))
    assert booked.status_code == 201
    starts = [s["start"][11:16] for s in slots(client, shop, [peel], day="2026-05-05", staff=solo.id)["slots"]]
    # busy 10:45-11:45; a new visit needs 15 minutes either side, inside the shift
    assert "09:15" in starts and "09:00" not in starts
    assert "10:00" in starts and "10:15" not in starts
    assert "11:30" not in starts and "12:00" in starts
    assert starts[-1] == "17:15"


def test_a_room_is_booked_with_the_person(client, shop):
    room = ResourceFactory(venue=shop.venue, name="Laser room")
    laser = h.service(shop.venue, minutes=45, resource=room, name="Laser")
    h.staff(shop.venue, [laser], name="Dee")
    h.staff(shop.venue, [laser], name="Eve")
    first = post(client, h.bearer(h.customer()), body(shop, services=[laser]))
    assert first.status_code == 201
    second = post(client, h.bearer(h.customer()), body(shop, services=[laser]))
    assert second.status_code == 409  # Eve is free but the room is not
    assert second.json()["code"] == "slot_taken"
    starts = [s["start"][11:16] for s in slots(client, shop, [laser], day="2026-05-05")["slots"]]
    assert "10:00" not in starts and "09:15" in starts and "10:45" in starts


def test_naming_the_free_person_does_not_free_the_room_the_other_holds(client, shop):
    """A visit with a named person reads only that person's diary, and every visit holding a room or device."""
    room = ResourceFactory(venue=shop.venue, name="Laser room")
    laser = h.service(shop.venue, minutes=45, resource=room, name="Laser")
    dee = h.staff(shop.venue, [laser], name="Dee")
    eve = h.staff(shop.venue, [laser], name="Eve")
    assert post(client, h.bearer(h.customer()), {**body(shop, services=[laser]), "staff_id": dee.id}).status_code == 201
    second = post(client, h.bearer(h.customer()), {**body(shop, services=[laser]), "staff_id": eve.id})
    assert second.status_code == 409 and second.json()["code"] == "slot_taken"
    starts = [s["start"][11:16] for s in slots(client, shop, [laser], day="2026-05-05", staff=eve.id)["slots"]]
    assert "10:00" not in starts and "09:15" in starts and "10:45" in starts


def test_time_off_and_closures_remove_slots(client, shop):
    TimeOff.objects.create(staff=shop.anna, start=h.utc(2026, 5, 5, 8), end=h.utc(2026, 5, 5, 12))
    TimeOff.objects.create(staff=shop.ben, start=h.utc(2026, 5, 5, 8), end=h.utc(2026, 5, 5, 10))
    Closure.objects.create(venue=shop.venue, start_date=dt.date(2026, 5, 6), end_date=dt.date(2026, 5, 6))
    data = slots(client, shop, [shop.cut], day="2026-05-05", to="2026-05-07")
    days = {s["start"][:10] for s in data["slots"]}
    assert days == {"2026-05-05", "2026-05-07"}
    morning = [s for s in data["slots"] if s["start"] < "2026-05-05T13:00"]
    assert morning[0]["start"] == "2026-05-05T11:00:00+01:00" and morning[0]["staff_ids"] == [shop.ben.id]


def test_availability_takes_three_queries_whatever_the_range(client, shop, django_assert_max_num_queries):
    for day in range(5):
        post(client, h.bearer(h.customer()), body(shop, start=f"2026-05-{5 + day:02d}T11:00:00+01:00"))
    TimeOff.objects.create(staff=shop.anna, start=h.utc(2026, 5, 20, 8), end=h.utc(2026, 5, 22, 12))
    Closure.objects.create(venue=shop.venue, start_date=dt.date(2026, 5, 25), end_date=dt.date(2026, 5, 25))
    for last in ("2026-05-04", "2026-06-03", "2026-07-04"):
        with django_assert_max_num_queries(3):
            data = slots(client, shop, [shop.cut, shop.colour], to=last)
        assert data["slots"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"services": "abc"}, 422, "invalid_services"),
        ({"services": ""}, 422, "invalid_services"),
        ({"services": "1,2,3,4,5,6"}, 422, "too_many_services"),
        ({"services": "999999"}, 422, "unknown_service"),
        ({"services": "99999999999999999999999"}, 422, "invalid_services"),
        ({"from": "2026-05-09", "to": "2026-05-08"}, 422, "invalid_range"),
        ({"from": "2026-05-01", "to": "2026-08-01"}, 422, "range_too_long"),
        ({"from": "yesterday"}, 422, "invalid"),
        ({"staff": "999999"}, 422, "unknown_staff"),
        ({"staff": "-3"}, 422, "invalid"),
    ],
)
def test_bad_availability_requests_are_4xx(client, shop, params, status, code):
    query = {"services": str(shop.cut.id), **params}
    response = client.get(f"/api/v1/venues/{shop.venue.id}/availability", query)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_unknown_venue_is_404(client, shop):
    response = client.get("/api/v1/venues/987654/availability", {"services": str(shop.cut.id)})
    assert response.status_code == 404
    other = h.shop()
    response = client.get(f"/api/v1/venues/{other.venue.id}/availability", {"services": str(shop.cut.id)})
    assert response.status_code == 422 and response.json()["code"] == "unknown_service"


# --- booking -------------------------------------------------------------------------------------------------


def test_booking_answers_201_with_items_and_lists_it(client, shop):
    customer = h.customer()
    auth = h.bearer(customer)
    response = post(client, auth, body(shop, notes="Fringe please"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "confirmed"
    assert data["start"] == "2026-05-05T10:00:00+01:00" and data["timezone"] == "Europe/London"
    assert data["total_price"] == "45.00" and data["currency"] == "GBP"
    assert data["items"][0]["staff_name"] == "Anna" and data["items"][0]["price"] == "45.00"
    assert data["notes"] == "Fringe please"
    listed = client.get("/api/v1/bookings", **auth).json()
    assert [b["id"] for b in listed] == [data["id"]]
    assert client.get(f"/api/v1/bookings/{data['id']}", **auth).json()["id"] == data["id"]


def test_the_venue_can_ask_to_confirm_by_hand(client, shop):
    shop.venue.auto_confirm = False
    shop.venue.save()
    response = post(client, h.bearer(h.customer()), body(shop))
    assert response.json()["status"] == "pending"


def test_a_taken_slot_is_409_with_the_nearest_alternatives(client, shop):
    for _ in range(2):
        assert post(client, h.bearer(h.customer()), body(shop)).status_code == 201  # Anna, then Ben
    response = post(client, h.bearer(h.customer()), body(shop))
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "slot_taken"
    starts = [a["start"] for a in data["alternatives"]]
    assert "2026-05-05T11:00:00+01:00" in starts and "2026-05-05T09:00:00+01:00" in starts
    assert all("T10:" not in s for s in starts)
    assert Booking.objects.count() == 2


def test_idempotency_key_replays_the_first_answer(client, shop):
    auth = h.bearer(h.customer())
    first = post(client, auth, body(shop), HTTP_IDEMPOTENCY_KEY="try-1")
    again = post(client, auth, body(shop), HTTP_IDEMPOTENCY_KEY="try-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1
    other = post(client, auth, body(shop, start="2026-05-05T12:00:00+01:00"), HTTP_IDEMPOTENCY_KEY="try-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert post(client, auth, body(shop), HTTP_IDEMPOTENCY_KEY="x" * 201).status_code == 422
    # another user's same key is their own
    assert post(client, h.bearer(h.customer()), body(shop), HTTP_IDEMPOTENCY_KEY="try-1").status_code == 201
    assert IdempotencyRecord.objects.count() == 2


def test_an_error_answer_is_replayed_too(client, shop):
    auth = h.bearer(h.customer())
    first = post(client, auth, body(shop, start="2026-05-04T08:30:00+01:00"), HTTP_IDEMPOTENCY_KEY="k")
    again = post(client, auth, body(shop, start="2026-05-04T08:30:00+01:00"), HTTP_IDEMPOTENCY_KEY="k")
    assert first.status_code == again.status_code == 422
    assert first.json() == again.json()


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("2026-05-04T08:30:00+01:00", "notice"),
        ("2026-07-04T10:00:00+01:00", "horizon"),
        ("2026-05-05T10:07:00+01:00", "off_grid"),
        ("2026-05-05T10:00:30+01:00", "off_grid"),
        ("2026-05-05T20:00:00+01:00", "outside_hours"),
        ("2026-05-05T17:30:00+01:00", "outside_hours"),  # a 60-minute cut would end after closing
        ("2026-05-05T10:00:00", "invalid_start"),
    ],
)
def test_booking_rules_answer_422_with_a_code(client, shop, start, code):
    response = post(client, h.bearer(h.customer()), body(shop, start=start))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert not Booking.objects.exists()


def test_bad_booking_requests_change_nothing(client, shop):
    auth = h.bearer(h.customer())
    other = h.shop()
    cases = [
        (body(shop, services=[other.cut]), 422, "unknown_service"),
        ({**body(shop), "services": []}, 422, "invalid"),
        ({**body(shop), "venue_id": 99999}, 404, "not_found"),
        ({**body(shop), "staff_id": other.anna.id}, 422, "unknown_staff"),
        ({**body(shop), "services": [shop.colour.id], "staff_id": shop.ben.id}, 422, "unknown_staff"),
        ({**body(shop), "start": "tomorrow"}, 422, "invalid"),
        ({**body(shop), "notes": "x" * 2001}, 422, "invalid"),
        ({**body(shop), "venue_id": 10**30}, 422, "invalid"),
    ]
    for payload, status, code in cases:
        response = post(client, auth, payload)
        assert (response.status_code, response.json()["code"]) == (status, code), payload
    malformed = client.post("/api/v1/bookings", "{not json", content_type="application/json", **auth)
    assert malformed.status_code == 400
    assert post(client, {}, body(shop)).status_code == 401
    assert not Booking.objects.exists()


def test_offline_only_services_cannot_be_booked_online(client, shop):
    shop.cut.online_bookable = False
    shop.cut.save()
    response = post(client, h.bearer(h.customer()), body(shop))
    assert response.status_code == 422 and response.json()["code"] == "unknown_service"


# --- cancel and reschedule ---------------------------------------------------------------------------------------


def test_cancel_frees_the_slot_outside_the_notice_window(client, shop):
    auth = h.bearer(h.customer())
    booking = post(client, auth, body(shop, start="2026-05-06T10:00:00+01:00", staff_id=shop.anna.id)).json()
    response = client.post(f"/api/v1/bookings/{booking['id']}/cancel", json.dumps({"reason": "Ill"}),
                           content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert not BookingItem.objects.filter(active=True).exists()
    again = client.post(f"/api/v1/bookings/{booking['id']}/cancel", "", content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "not_changeable"
    free = slots(client, shop, [shop.cut], day="2026-05-06", staff=shop.anna.id)
    assert "2026-05-06T10:00:00+01:00" in [s["start"] for s in free["slots"]]


def test_cancel_and_move_inside_the_notice_window_are_refused(client, shop):
    auth = h.bearer(h.customer())
    booking = post(client, auth, body(shop, start="2026-05-05T09:00:00+01:00")).json()  # 25 hours away: fine to book
    response = client.post(f"/api/v1/bookings/{booking['id']}/cancel", "", content_type="application/json", **auth)
    assert response.status_code == 200
    soon = post(client, auth, body(shop, start="2026-05-04T16:00:00+01:00")).json()  # 8 hours away
    Booking.objects.filter(pk=soon["id"]).update(created_at=h.utc(2026, 5, 1, 9))  # past its free-cancel grace
    response = client.post(f"/api/v1/bookings/{soon['id']}/cancel", "", content_type="application/json", **auth)
    assert response.status_code == 422 and response.json()["code"] == "notice_window"
    move = client.post(f"/api/v1/bookings/{soon['id']}/reschedule", json.dumps({"start": "2026-05-08T10:00:00+01:00"}),
                       content_type="application/json", **auth)
    assert move.status_code == 422 and move.json()["code"] == "notice_window"
    assert Booking.objects.get(pk=soon["id"]).status == Status.CONFIRMED


def test_reschedule_moves_the_visit_and_frees_the_old_time(client, shop):
    auth = h.bearer(h.customer())
    booking = post(client, auth, body(shop, start="2026-05-06T10:00:00+01:00", staff_id=shop.ben.id)).json()
    response = client.post(f"/api/v1/bookings/{booking['id']}/reschedule",
                           json.dumps({"start": "2026-05-07T14:00:00+01:00"}), content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    moved = response.json()
    assert moved["start"] == "2026-05-07T14:00:00+01:00" and moved["items"][0]["staff_name"] == "Ben"
    ben = slots(client, shop, [shop.cut], day="2026-05-06", staff=shop.ben.id)
    assert "2026-05-06T10:00:00+01:00" in [s["start"] for s in ben["slots"]]
    # moving onto a time someone else holds is a 409, and the booking stays where it was
    post(client, h.bearer(h.customer()), body(shop, start="2026-05-08T10:00:00+01:00", staff_id=shop.ben.id))
    clash = client.post(f"/api/v1/bookings/{booking['id']}/reschedule",
                        json.dumps({"start": "2026-05-08T10:00:00+01:00"}), content_type="application/json", **auth)
    assert clash.status_code == 409
    assert client.get(f"/api/v1/bookings/{booking['id']}", **auth).json()["start"] == "2026-05-07T14:00:00+01:00"
    assert BookingItem.objects.filter(booking_id=booking["id"], active=True).count() == 1


def test_reschedule_to_an_overlapping_time_of_its_own(client, shop):
    auth = h.bearer(h.customer())
    booking = post(client, auth, body(shop, start="2026-05-06T10:00:00+01:00", staff_id=shop.ben.id)).json()
    response = client.post(f"/api/v1/bookings/{booking['id']}/reschedule",
                           json.dumps({"start": "2026-05-06T10:30:00+01:00"}), content_type="application/json", **auth)
    assert response.status_code == 200, response.content


def test_another_customers_booking_is_404(client, shop):
    booking = post(client, h.bearer(h.customer()), body(shop, start="2026-05-06T10:00:00+01:00")).json()
    intruder = h.bearer(h.customer())
    assert client.get(f"/api/v1/bookings/{booking['id']}", **intruder).status_code == 404
    cancel = client.post(f"/api/v1/bookings/{booking['id']}/cancel", "", content_type="application/json", **intruder)
    assert cancel.status_code == 404
    move = client.post(f"/api/v1/bookings/{booking['id']}/reschedule",
                       json.dumps({"start": "2026-05-07T10:00:00+01:00"}), content_type="application/json", **intruder)
    assert move.status_code == 404
    assert client.get("/api/v1/bookings", **intruder).json() == []
    assert Booking.objects.get(pk=booking["id"]).status == Status.CONFIRMED
    assert client.get("/api/v1/bookings/99999999999999999999", **intruder).status_code in (404, 422)


# --- holds -----------------------------------------------------------------------------------------------------------


def test_a_hold_blocks_the_slot_for_ten_minutes_then_frees_it(client, shop, frozen):
    from pamper.bookings import actions

    start = h.utc(2026, 5, 5, 9)  # 10:00 local
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=start, customer=h.customer(), staff=shop.ben)
    assert held.status == Status.HELD
    assert held.hold_expires_at == h.utc(2026, 5, 4, 7, 10)
    ben = slots(client, shop, [shop.cut], day="2026-05-05", staff=shop.ben.id)
    assert "2026-05-05T10:00:00+01:00" not in [s["start"] for s in ben["slots"]]
    frozen.shift(dt.timedelta(minutes=10))
    ben = slots(client, shop, [shop.cut], day="2026-05-05", staff=shop.ben.id)
    assert "2026-05-05T10:00:00+01:00" in [s["start"] for s in ben["slots"]]
    response = post(client, h.bearer(h.customer()), body(shop, staff_id=shop.ben.id))
    assert response.status_code == 201
    held.refresh_from_db()
    assert held.status == Status.EXPIRED
    assert not held.items.get().active


def test_the_api_keeps_wall_clock_hours_across_madrids_spring_change(client, db):
    import time_machine

    with time_machine.travel(h.utc(2026, 3, 20, 8), tick=False):
        madrid = h.shop("Europe/Madrid")
        data = slots(client, madrid, [madrid.cut], day="2026-03-28", to="2026-03-29")
    assert data["timezone"] == "Europe/Madrid"
    starts = [s["start"] for s in data["slots"]]
    assert starts[0] == "2026-03-28T09:00:00+01:00"
    assert "2026-03-29T09:00:00+02:00" in starts and "2026-03-29T17:00:00+02:00" in starts
    assert not any(s.startswith("2026-03-29T08:") or s.startswith("2026-03-29T18:") for s in starts)

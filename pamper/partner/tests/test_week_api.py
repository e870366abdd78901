"""Opening hours, closures and time off: on the partner API (read and write, roles and other venues' rows), and
asked about first, on the API and on the workspace pages, when the change would leave upcoming bookings on a
closed day, in someone's time off or outside the opening hours."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client as Browser

from pamper.bookings.models import Booking, Status
from pamper.errors import Refusal
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure, OpeningHours, TimeOff

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db

WEDNESDAY = 2  # 6 May 2026; "now" is Tuesday 5 May, 08:00 London


@pytest.fixture
def visits(rose: Salon) -> dict[str, Booking]:
    """Clara with Ana on Wednesday at 10:00 London, another with Ben at 13:00."""
    return {"ana": factories.book(rose, utc(2026, 5, 6, 9, 0), staff=rose.ana),
            "ben": factories.book(rose, utc(2026, 5, 6, 12, 0), staff=rose.ben)}


def _api(client: Browser, salon: Salon, method: str, path: str, body: Any = None, who: Any = None) -> Any:
    return client.generic(method, f"/api/v1/partner/venues/{salon.venue.pk}{path}",
                          json.dumps(body) if body is not None else "", content_type="application/json",
                          **factories.bearer(who or salon.owner))


def _week(opens: str = "09:00", closes: str = "18:00", **days: tuple[str, str]) -> dict[str, Any]:
    """Every day opens-closes, except the weekdays named (mon=..., wed=...)."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    spans = [days.get(n, (opens, closes)) for n in names]
    return {"hours": [{"weekday": d, "opens": a, "closes": b} for d, (a, b) in enumerate(spans)]}


def _asked(answer: Any, *bookings: Booking) -> str:
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert body["code"] == "bookings_uncovered"
    assert [b["id"] for b in body["bookings"]] == [b.pk for b in bookings]
    return str(body["message"])


# --- opening hours -------------------------------------------------------------------------------------------------


def test_the_week_is_read_and_replaced_whole(client: Browser, rose: Salon) -> None:
    got = _api(client, rose, "GET", "/hours")
    assert got.status_code == 200
    assert got.json()[WEDNESDAY] == {"weekday": WEDNESDAY, "opens": "09:00", "closes": "18:00"}
    week = {"hours": [{"weekday": d, "opens": "10:00", "closes": "24:00"} for d in range(6)]}  # Sunday closed
    put = _api(client, rose, "PUT", "/hours", week)
    assert put.status_code == 200, put.content
    assert [h["weekday"] for h in put.json()] == [0, 1, 2, 3, 4, 5]
    assert put.json()[0] == {"weekday": 0, "opens": "10:00", "closes": "24:00"}
    assert OpeningHours.objects.filter(venue=rose.venue).count() == 6


def test_hours_that_leave_a_visit_outside_them_are_asked_about(client: Browser, rose: Salon,
                                                               visits: dict[str, Booking]) -> None:
    later = _week(wed=("11:00", "18:00"))  # Clara's 10:00 visit falls outside, Ben's 13:00 one does not
    message = _asked(_api(client, rose, "PUT", "/hours", later), visits["ana"])
    assert message.startswith("Without those hours, 1 upcoming booking falls outside the opening hours: "
                              "Wed 6 May 2026, 10:00, Clara Rose.")
    assert OpeningHours.objects.get(venue=rose.venue, weekday=WEDNESDAY).opens == dt.time(9)
    assert _api(client, rose, "PUT", "/hours?confirm=true", later).status_code == 200
    assert OpeningHours.objects.get(venue=rose.venue, weekday=WEDNESDAY).opens == dt.time(11)
    assert Booking.objects.get(pk=visits["ana"].pk).status == Status.CONFIRMED  # it stays, for the owner to move


def test_a_break_over_a_visit_is_asked_about_and_hours_back_to_back_are_not(client: Browser, rose: Salon,
                                                                         visits: dict[str, Booking]) -> None:
    lunch = _week()
    lunch["hours"][WEDNESDAY:WEDNESDAY + 1] = [{"weekday": WEDNESDAY, "opens": "09:00", "closes": "12:30"},
                                               {"weekday": WEDNESDAY, "opens": "14:00", "closes": "18:00"}]
    _asked(_api(client, rose, "PUT", "/hours", lunch), visits["ben"])
    halves = _week()
    halves["hours"][WEDNESDAY:WEDNESDAY + 1] = [{"weekday": WEDNESDAY, "opens": "09:00", "closes": "13:30"},
                                                {"weekday": WEDNESDAY, "opens": "13:30", "closes": "18:00"}]
    assert _api(client, rose, "PUT", "/hours", halves).status_code == 200  # Ben's 13:00 visit spans the join


def test_a_bad_week_is_refused_before_any_question(client: Browser, rose: Salon, visits: dict[str, Booking]) -> None:
    overlapping = _week()
    overlapping["hours"].append({"weekday": 0, "opens": "12:00", "closes": "20:00"})
    for week in (overlapping, _week(mon=("18:00", "09:00")), {"hours": [{"weekday": 7, "opens": "09:00",
                                                                          "closes": "18:00"}]},
                 _week(mon=("25:00", "26:00")), {"hours": "all day"}):
        answer = _api(client, rose, "PUT", "/hours?confirm=true", week)
        assert answer.status_code == 422, (week, answer.content)
    assert OpeningHours.objects.filter(venue=rose.venue).count() == 7


# --- closures ------------------------------------------------------------------------------------------------------


def test_closing_on_a_day_with_visits_is_asked_about_then_listed_and_removed(client: Browser, rose: Salon,
                                                                              visits: dict[str, Booking]) -> None:
    wednesday = {"start_date": "2026-05-06", "end_date": "2026-05-06", "reason": "Training"}
    message = _asked(_api(client, rose, "POST", "/closures", wednesday), visits["ana"], visits["ben"])
    assert message.startswith("Closing on those days leaves 2 upcoming bookings on days the venue is closed:")
    assert not Closure.objects.filter(venue=rose.venue).exists()
    made = _api(client, rose, "POST", "/closures?confirm=true", wednesday)
    assert made.status_code == 201, made.content
    assert made.json() | {"id": 0} == {"id": 0, **wednesday}
    quiet = _api(client, rose, "POST", "/closures", {"start_date": "2026-05-11", "end_date": "2026-05-12"})
    assert quiet.status_code == 201  # no visit on those days: nothing to ask
    assert [c["start_date"] for c in _api(client, rose, "GET", "/closures").json()] == ["2026-05-06", "2026-05-11"]
    again = _api(client, rose, "POST", "/closures?confirm=true", {"start_date": "2026-05-05", "end_date": "2026-05-06"})
    assert again.status_code == 409 and again.json()["code"] == "overlapping_closure"
    backwards = _api(client, rose, "POST", "/closures", {"start_date": "2026-05-20", "end_date": "2026-05-19"})
    assert backwards.status_code == 422
    assert _api(client, rose, "DELETE", f"/closures/{made.json()['id']}").status_code == 204
    assert [c["start_date"] for c in _api(client, rose, "GET", "/closures").json()] == ["2026-05-11"]


# --- time off ------------------------------------------------------------------------------------------------------


def test_time_off_over_a_visit_is_asked_about_and_comes_back_in_local_time(client: Browser, rose: Salon,
                                                                           visits: dict[str, Booking]) -> None:
    morning = {"staff_id": rose.ana.pk, "start": "2026-05-06T09:30:00+01:00", "end": "2026-05-06T12:00:00+01:00",
               "reason": "Dentist"}
    message = _asked(_api(client, rose, "POST", "/time-off", morning), visits["ana"])
    assert message.startswith("Ana Rose has 1 upcoming booking in that time off: Wed 6 May 2026, 10:00, Clara Rose.")
    assert not TimeOff.objects.exists()
    naive = _api(client, rose, "POST", "/time-off?confirm=true", {**morning, "start": "2026-05-06T09:30:00"})
    assert naive.status_code == 422
    made = _api(client, rose, "POST", "/time-off?confirm=true", morning)
    assert made.status_code == 201, made.content
    assert made.json() | {"id": 0} == {"id": 0, **morning}
    in_utc = {**morning, "staff_id": rose.ben.pk, "start": "2026-05-06T08:30:00Z", "end": "2026-05-06T11:00:00Z"}
    ben = _api(client, rose, "POST", "/time-off", in_utc)  # Ben's visit is at 13:00: nothing to ask
    assert ben.status_code == 201 and ben.json()["start"] == "2026-05-06T09:30:00+01:00"
    twice = _api(client, rose, "POST", "/time-off?confirm=true", {**morning, "start": "2026-05-06T11:00:00+01:00",
                                                                 "end": "2026-05-06T15:00:00+01:00"})
    assert twice.status_code == 409 and twice.json()["code"] == "overlapping_time_off"
    assert [t["staff_id"] for t in _api(client, rose, "GET", f"/time-off?staff_id={rose.ana.pk}").json()] == [
        rose.ana.pk]
    assert len(_api(client, rose, "GET", "/time-off").json()) == 2
    assert _api(client, rose, "DELETE", f"/time-off/{made.json()['id']}").status_code == 204
    assert list(TimeOff.objects.values_list("staff_id", flat=True)) == [rose.ben.pk]


# --- who may ---------------------------------------------------------------------------------------------------------


def test_another_venues_rows_are_not_found_and_the_front_desk_only_reads(client: Browser, rose: Salon,
                                                                          iris: Salon) -> None:
    theirs = venue_actions.add_closure(venue=iris.venue, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2))
    off = venue_actions.add_time_off(staff=iris.ana, start=utc(2026, 6, 1, 8), end=utc(2026, 6, 1, 12))
    assert _api(client, rose, "DELETE", f"/closures/{theirs.pk}").status_code == 404
    assert _api(client, rose, "DELETE", f"/time-off/{off.pk}").status_code == 404
    steal = {"staff_id": iris.ana.pk, "start": "2026-06-02T09:00:00+01:00", "end": "2026-06-02T10:00:00+01:00"}
    assert _api(client, rose, "POST", "/time-off", steal).json()["code"] == "unknown_staff"
    assert _api(client, rose, "GET", "/closures").json() == []
    assert _api(client, iris, "GET", "/hours", who=rose.owner).status_code == 404
    desk = rose.reception
    assert _api(client, rose, "GET", "/hours", who=desk).status_code == 200
    assert _api(client, rose, "PUT", "/hours", _week(), who=desk).status_code == 403
    assert _api(client, rose, "POST", "/closures", {"start_date": "2026-06-01", "end_date": "2026-06-01"},
                who=desk).status_code == 403
    assert Closure.objects.filter(venue=rose.venue).count() == 0
    assert TimeOff.objects.filter(pk=off.pk).exists() and Closure.objects.filter(pk=theirs.pk).exists()


# --- the workspace pages -------------------------------------------------------------------------------------------


def _notice(response: Any, headline: str, *bookings: Booking) -> str:
    page = html.unescape(response.content.decode())
    assert response.status_code == 409, page[:500]
    notice = page[page.index('id="uncovered"'):]
    notice = notice[:notice.index("</div>")]
    assert headline in notice and notice.count("<li>") == len(bookings), notice
    assert f'value="{",".join(str(b.pk) for b in bookings)}"' in page
    return page


def _said(client: Browser, response: Any) -> list[str]:
    assert response.status_code == 302, response.content[:500]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_pages_ask_before_a_closure_or_time_off_over_visits(client: Browser, rose: Salon,
                                                               visits: dict[str, Booking]) -> None:
    client.force_login(rose.owner)
    pk = rose.venue.pk
    closure = {"start_date": "2026-05-06", "end_date": "2026-05-06", "reason": "Training"}
    _notice(client.post(f"/partner/{pk}/closures/new/", closure),
            "Closing on those days leaves 2 upcoming bookings on days the venue is closed:",
            visits["ana"], visits["ben"])
    assert not Closure.objects.exists()
    confirmed = client.post(f"/partner/{pk}/closures/new/", {**closure, "confirm": f"{visits['ana'].pk},"
                                                                                    f"{visits['ben'].pk}"})
    assert any("stay as they were" in m for m in _said(client, confirmed))
    assert Closure.objects.filter(venue=rose.venue).count() == 1

    off = {"start_date": "2026-05-06", "start_time": "09:30", "end_date": "2026-05-06", "end_time": "12:00"}
    url = f"/partner/{pk}/staff/{rose.ana.pk}/time-off/new/"
    _notice(client.post(url, off), "Ana Rose has 1 upcoming booking in that time off:", visits["ana"])
    assert not TimeOff.objects.exists()
    assert client.post(url, {**off, "confirm": str(visits["ana"].pk)}).status_code == 302
    assert TimeOff.objects.get().start == utc(2026, 5, 6, 8, 30)


def test_removing_the_hours_a_visit_falls_in_asks_first(client: Browser, rose: Salon,
                                                        visits: dict[str, Booking]) -> None:
    client.force_login(rose.owner)
    wednesday = OpeningHours.objects.get(venue=rose.venue, weekday=WEDNESDAY)
    url = f"/partner/{rose.venue.pk}/hours/{wednesday.pk}/delete/"
    page = _notice(client.post(url), "Without those hours, 2 upcoming bookings fall outside the opening hours:",
                   visits["ana"], visits["ben"])
    assert "Remove them anyway" in page
    assert OpeningHours.objects.filter(pk=wednesday.pk).exists()
    said = _said(client, client.post(url, {"confirm": f"{visits['ana'].pk},{visits['ben'].pk}"}))
    assert not OpeningHours.objects.filter(pk=wednesday.pk).exists()
    assert any("Clara Rose" in m for m in said)
    sunday = OpeningHours.objects.get(venue=rose.venue, weekday=6)
    assert client.post(f"/partner/{rose.venue.pk}/hours/{sunday.pk}/delete/").status_code == 302  # no visit then


# --- a listed venue keeps some opening hours -------------------------------------------------------------------------


def test_a_listed_venue_cannot_be_left_with_an_empty_week(client: Browser, rose: Salon,
                                                          visits: dict[str, Booking]) -> None:
    """An empty week left a listed venue in search with nothing bookable: refused, with what to do instead."""
    before = list(OpeningHours.objects.filter(venue=rose.venue).values_list("weekday", "opens", "closes"))
    for query in ("", "?confirm=true"):  # refused before any question about the bookings, and when confirmed
        answer = _api(client, rose, "PUT", f"/hours{query}", {"hours": []})
        assert answer.status_code == 422, answer.content
        assert answer.json()["code"] == "hours_required"
        assert "closure" in answer.json()["message"] and "hide" in answer.json()["message"]
    assert list(OpeningHours.objects.filter(venue=rose.venue).values_list("weekday", "opens", "closes")) == before

    client.force_login(rose.owner)  # removing the last interval on the hours page: the same refusal, as a message
    last, *others = OpeningHours.objects.filter(venue=rose.venue).order_by("-weekday")
    OpeningHours.objects.filter(pk__in=[o.pk for o in others]).delete()
    refused = client.post(f"/partner/{rose.venue.pk}/hours/{last.pk}/delete/")
    assert refused.status_code == 302
    assert any("closure" in m for m in _said(client, refused))
    assert OpeningHours.objects.filter(pk=last.pk).exists()

    venue_actions.set_venue_published(venue=rose.venue, published=False)  # hidden from search, it may close the week
    assert _api(client, rose, "PUT", "/hours?confirm=true", {"hours": []}).status_code == 200
    assert not OpeningHours.objects.filter(venue=rose.venue).exists()
    with pytest.raises(Refusal) as refused:  # and it is not listed again until it has hours
        venue_actions.set_venue_published(venue=rose.venue, published=True)
    assert refused.value.code == "hours_required"

"""A change that would leave upcoming bookings without cover (a shift removed, a staff member switched off or no
longer doing a service, a service switched off or deleted) is asked about first: a 409 listing the bookings (when,
client) until the owner confirms it, on the workspace pages and on the partner API. Confirmed, it goes ahead and
the bookings stay as they are, listed again for the owner to move or cancel."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest
from django import forms
from django.test import Client as Browser

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking
from pamper.venues.models import Service, Shift, Staff

from ..forms import ServiceForm, StaffForm
from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db

WHEN = "Wed 6 May 2026, 10:00"  # Clara's visit with Ana, tomorrow


@pytest.fixture
def clara(rose: Salon) -> Booking:
    """Clara with Ana on Wednesday 6 May at 10:00 London; a visit of Ben's and a cancelled one of Ana's beside it."""
    factories.book(rose, utc(2026, 5, 6, 12, 0), staff=rose.ben)
    gone = factories.book(rose, utc(2026, 5, 6, 13, 0), staff=rose.ana)
    booking_actions.cancel_booking(booking=gone, by_venue=True, reason="Moved away")
    return factories.book(rose, utc(2026, 5, 6, 9, 0), staff=rose.ana)


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _asked(response: Any, headline: str) -> str:
    """The 409 page: the headline, Clara's visit (and no other), a button confirming it."""
    page = _page(response)
    assert response.status_code == 409, page[:600]
    notice = page[page.index('id="uncovered"'):]
    notice = notice[:notice.index("</div>")]
    assert headline in notice and WHEN in notice and "Clara Rose" in notice, notice
    assert notice.count("<li>") == 1
    return page


def _form_data(form: forms.ModelForm, **changes: Any) -> dict[str, Any]:
    """What the edit page posts back unchanged, with `changes`: a checkbox left unticked is not sent."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = changes.get(name, form[name].value())
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def _wednesday_morning(staff: Staff) -> Shift:
    return Shift.objects.get(staff=staff, weekday=2, start=dt.time(9))


# --- pages ---------------------------------------------------------------------------------------------------------


def test_removing_the_shift_that_covers_a_booking_asks_first(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    shift = _wednesday_morning(rose.ana)
    url = f"/partner/{rose.venue.pk}/shifts/{shift.pk}/delete/"
    page = _asked(client.post(url), "Removing this shift leaves 1 upcoming booking outside Ana Rose's shifts:")
    assert f'name="confirm" value="{clara.pk}"' in page
    assert Shift.objects.filter(pk=shift.pk).exists()
    done = client.post(url, {"confirm": str(clara.pk)}, follow=True)
    assert done.status_code == 200 and not Shift.objects.filter(pk=shift.pk).exists()
    assert "Shift removed." in _page(done) and "stays as it was" in _page(done) and WHEN in _page(done)
    clara.refresh_from_db()
    assert clara.status == "confirmed"  # the booking itself is left to the owner


def test_a_shift_no_booking_needs_goes_at_once(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    afternoon = Shift.objects.get(staff=rose.ana, weekday=2, start=dt.time(14))  # the cancelled visit's shift
    thursday = Shift.objects.get(staff=rose.ana, weekday=3, start=dt.time(9))
    for shift in (afternoon, thursday):
        assert client.post(f"/partner/{rose.venue.pk}/shifts/{shift.pk}/delete/").status_code == 302
    Shift.objects.create(staff=rose.ana, weekday=2, start=dt.time(8), end=dt.time(12))  # covers Clara too
    assert client.post(f"/partner/{rose.venue.pk}/shifts/{_wednesday_morning(rose.ana).pk}/delete/").status_code == 302


def test_switching_a_practitioner_off_asks_first(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    url = f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/"
    data = _form_data(StaffForm(instance=rose.ana, venue=rose.venue), is_active=False)
    page = _asked(client.post(url, data), "Switching Ana Rose off leaves 1 upcoming booking without its practitioner:")
    assert 'id="confirm-uncovered"' in page
    rose.ana.refresh_from_db()
    assert rose.ana.is_active
    done = client.post(url, {**data, "confirm": str(clara.pk)}, follow=True)
    assert done.status_code == 200 and "stays as it was" in _page(done)
    rose.ana.refresh_from_db()
    assert not rose.ana.is_active


def test_taking_a_service_from_a_practitioner_asks_first(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    url = f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/"
    data = _form_data(StaffForm(instance=rose.ana, venue=rose.venue), services=[])
    _asked(client.post(url, data), "Ana Rose would no longer do the service of 1 upcoming booking:")
    assert list(rose.ana.services.all()) == [rose.facial]
    renamed = _form_data(StaffForm(instance=rose.ana, venue=rose.venue), name="Ana Rosa")  # no cover lost
    assert client.post(url, renamed).status_code == 302


def test_taking_a_practitioner_off_a_service_asks_first(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    url = f"/partner/{rose.venue.pk}/services/{rose.facial.pk}/"
    data = _form_data(ServiceForm(instance=rose.facial, venue=rose.venue), staff=[rose.ben.pk])
    _asked(client.post(url, data), "Taking staff off “Rose Facial” leaves 1 upcoming booking without its practitioner:")
    assert set(rose.facial.staff.all()) == {rose.ana, rose.ben}
    assert client.post(url, {**data, "confirm": str(clara.pk)}).status_code == 302
    assert set(rose.facial.staff.all()) == {rose.ben}


def test_switching_a_service_off_or_deleting_it_asks_first(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    edit = f"/partner/{rose.venue.pk}/services/{rose.facial.pk}/"
    off = _form_data(ServiceForm(instance=rose.facial, venue=rose.venue), is_active=False)
    headline = "“Rose Facial” has 2 upcoming bookings, which switching it off leaves as they are:"
    page = client.post(edit, off)
    assert page.status_code == 409 and headline in _page(page) and WHEN in _page(page)
    delete = f"/partner/{rose.venue.pk}/services/{rose.facial.pk}/delete/"
    asked = _page(client.post(delete))
    assert "Delete “Rose Facial”?" in asked and headline in asked and "Switch it off anyway" in asked
    rose.facial.refresh_from_db()
    assert rose.facial.is_active
    ids = ",".join(str(b.pk) for b in Booking.objects.filter(status="confirmed").order_by("start"))
    done = client.post(delete, {"confirm": ids}, follow=True)
    assert "switched off rather than deleted" in _page(done) and "These 2 upcoming bookings stay" in _page(done)
    rose.facial.refresh_from_db()
    assert not rose.facial.is_active


def test_a_booking_made_after_the_question_is_asked_about_again(client: Browser, rose: Salon, clara: Booking) -> None:
    client.force_login(rose.owner)
    shift = _wednesday_morning(rose.ana)
    url = f"/partner/{rose.venue.pk}/shifts/{shift.pk}/delete/"
    assert client.post(url).status_code == 409
    factories.book(rose, utc(2026, 5, 6, 11, 0), staff=rose.ana, client=factories.ClientFactory(venue=rose.venue))
    again = client.post(url, {"confirm": str(clara.pk)})  # confirmed what the page showed: one more came since
    assert again.status_code == 409 and "2 upcoming bookings" in _page(again)
    assert Shift.objects.filter(pk=shift.pk).exists()


# --- the partner API -----------------------------------------------------------------------------------------------


def _api(client: Browser, rose: Salon, method: str, path: str, body: Any = None) -> Any:
    return client.generic(method, f"/api/v1/partner/venues/{rose.venue.pk}{path}",
                          json.dumps(body) if body is not None else "", content_type="application/json",
                          **factories.bearer(rose.owner))


def _refused(answer: Any, headline: str, booking: Booking) -> None:
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert body["code"] == "bookings_uncovered"
    assert body["message"].startswith(f"{headline} {WHEN}, Clara Rose.")
    assert body["bookings"] == [{"id": booking.pk, "start": "2026-05-06T10:00:00+01:00", "client": "Clara Rose",
                                 "service": "Rose Facial", "staff": "Ana Rose"}]


def test_the_api_refuses_each_change_until_confirmed(client: Browser, rose: Salon, clara: Booking) -> None:
    shift = _wednesday_morning(rose.ana)
    _refused(_api(client, rose, "DELETE", f"/shifts/{shift.pk}"),
             "Removing this shift leaves 1 upcoming booking outside Ana Rose's shifts:", clara)
    _refused(_api(client, rose, "PATCH", f"/staff/{rose.ana.pk}", {"is_active": False}),
             "Switching Ana Rose off leaves 1 upcoming booking without its practitioner:", clara)
    _refused(_api(client, rose, "PATCH", f"/staff/{rose.ana.pk}", {"service_ids": []}),
             "Ana Rose would no longer do the service of 1 upcoming booking:", clara)
    _refused(_api(client, rose, "PATCH", f"/services/{rose.facial.pk}", {"staff_ids": [rose.ben.pk]}),
             "Taking staff off “Rose Facial” leaves 1 upcoming booking without its practitioner:", clara)
    assert Shift.objects.filter(pk=shift.pk).exists() and Staff.objects.get(pk=rose.ana.pk).is_active
    assert set(rose.facial.staff.all()) == {rose.ana, rose.ben}
    off = _api(client, rose, "DELETE", f"/services/{rose.facial.pk}")
    assert off.status_code == 409 and len(off.json()["bookings"]) == 2  # Ana's and Ben's
    assert Service.objects.get(pk=rose.facial.pk).is_active
    assert _api(client, rose, "PATCH", f"/staff/{rose.ana.pk}", {"title": "Senior"}).status_code == 200
    assert _api(client, rose, "DELETE", f"/shifts/{shift.pk}?confirm=true").status_code == 204
    assert _api(client, rose, "PATCH", f"/staff/{rose.ana.pk}?confirm=true", {"is_active": False}).json()[
        "is_active"] is False
    assert _api(client, rose, "DELETE", f"/services/{rose.facial.pk}?confirm=true").json()["is_active"] is False
    clara.refresh_from_db()
    assert clara.status == "confirmed"

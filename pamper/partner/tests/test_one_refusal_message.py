"""A form of the week's editors refuses bad input with one message, not the same rule twice in two wordings."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.venues.models import Closure, OpeningHours, Shift, TimeOff

from .factories import Salon

pytestmark = pytest.mark.django_db


def messages_of(response, form_name: str) -> list[str]:  # type: ignore[no-untyped-def]
    form = response.context[form_name]
    return [message for errors in form.errors.values() for message in errors]


def test_hours_that_close_before_they_open_are_refused_once(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    before = OpeningHours.objects.filter(venue=rose.venue).count()
    page = client.post(f"/partner/{rose.venue.pk}/hours/new/", {"weekday": "6", "opens": "18:00", "closes": "09:00"})
    assert page.status_code == 400
    assert messages_of(page, "hours_form") == ["Closing time must be after opening time."]
    assert page.content.decode().count("opening time.") == 1
    assert OpeningHours.objects.filter(venue=rose.venue).count() == before


def test_hours_that_close_before_they_open_are_refused_once_in_german(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    page = client.post(f"/de/partner/{rose.venue.pk}/hours/new/",
                       {"weekday": "6", "opens": "18:00", "closes": "09:00"})
    assert page.status_code == 400 and len(messages_of(page, "hours_form")) == 1


def test_a_closure_that_ends_before_it_starts_is_refused_once(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    page = client.post(f"/partner/{rose.venue.pk}/closures/new/",
                       {"start_date": "2026-05-26", "end_date": "2026-05-25", "reason": ""})
    assert page.status_code == 400
    assert messages_of(page, "closure_form") == ["A closure must end on or after its first day."]
    assert not Closure.objects.filter(venue=rose.venue).exists()


def test_a_shift_that_ends_before_it_starts_is_refused_once(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    url = f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/shifts/new/"
    before = Shift.objects.filter(staff=rose.ana).count()
    backwards = client.post(url, {"weekday": "6", "start": "18:00", "end": "09:00"})
    assert backwards.status_code == 400 and len(messages_of(backwards, "shift_form")) == 1
    dates = client.post(url, {"weekday": "6", "start": "09:00", "end": "12:00",
                              "valid_from": "2026-06-02", "valid_until": "2026-06-01"})
    assert dates.status_code == 400 and len(messages_of(dates, "shift_form")) == 1
    assert Shift.objects.filter(staff=rose.ana).count() == before


def test_time_off_that_ends_before_it_starts_is_refused_once(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    page = client.post(f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/time-off/new/", {
        "start_date": "2026-05-08", "start_time": "13:00", "end_date": "2026-05-08", "end_time": "09:00",
    })
    assert page.status_code == 400
    assert messages_of(page, "off_form") == ["Time off must end after it starts."]
    assert not TimeOff.objects.filter(staff=rose.ana).exists()

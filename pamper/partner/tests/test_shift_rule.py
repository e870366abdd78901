"""Issue 14, point 5: one weekly-shift rule (Shift.clashes_with, venues.actions.check_shift) behind the page and
the API, so both accept and refuse the same shifts and neither writes one itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as Browser

from pamper.venues.models import Shift, Staff

from .factories import Salon
from .test_api import Api

pytestmark = pytest.mark.django_db

# An existing shift: Wednesdays 10:00-16:00, from 1 June to 30 June 2026.
EXISTING = {"weekday": 2, "start": "10:00", "end": "16:00", "valid_from": "2026-06-01", "valid_until": "2026-06-30"}
CASES = [  # (the shift asked for, accepted?)
    ({"weekday": 2, "start": "16:00", "end": "18:00"}, True),  # back to back
    ({"weekday": 3, "start": "10:00", "end": "16:00"}, True),  # another day
    ({"weekday": 2, "start": "12:00", "end": "14:00", "valid_from": "2026-07-01"}, True),  # after it ends
    ({"weekday": 2, "start": "12:00", "end": "14:00", "valid_until": "2026-05-31"}, True),  # before it starts
    ({"weekday": 2, "start": "15:00", "end": "18:00"}, False),  # open-ended, overlapping
    ({"weekday": 2, "start": "09:00", "end": "10:30", "valid_until": "2026-06-01"}, False),  # shares its first day
    ({"weekday": 2, "start": "12:00", "end": "11:00"}, False),  # ends before it starts
    ({"weekday": 4, "start": "09:00", "end": "12:00", "valid_from": "2026-06-02", "valid_until": "2026-06-01"}, False),
]


def _staff(rose: Salon) -> Staff:
    staff = Staff.objects.create(venue=rose.venue, name="Cara New")
    Shift.objects.create(staff=staff, weekday=2, start=dt.time(10), end=dt.time(16), valid_from=dt.date(2026, 6, 1),
                         valid_until=dt.date(2026, 6, 30))
    return staff


@pytest.mark.parametrize("asked, accepted", CASES)
def test_the_page_and_the_api_apply_the_same_rule(client: Browser, rose: Salon, asked: dict, accepted: bool) -> None:
    staff = _staff(rose)
    client.force_login(rose.owner)
    page = client.post(f"/partner/{rose.venue.pk}/staff/{staff.pk}/shifts/new/", asked)
    assert page.status_code == (302 if accepted else 400), page.content.decode()[:500]
    assert Shift.objects.filter(staff=staff).count() == (2 if accepted else 1)
    Shift.objects.filter(staff=staff).exclude(valid_from=dt.date(2026, 6, 1)).delete()
    api = Api(Browser(), rose.owner)("POST", f"/venues/{rose.venue.pk}/shifts", {"staff_id": staff.pk, **asked})
    expected = 201 if accepted else 409 if "already works" in api.content.decode() else 422
    assert api.status_code == expected, api.content
    assert Shift.objects.filter(staff=staff).count() == (2 if accepted else 1)


def test_a_clash_names_the_shift_it_meets_on_both(client: Browser, rose: Salon) -> None:
    staff = _staff(rose)
    client.force_login(rose.owner)
    asked = {"weekday": 2, "start": "15:00", "end": "18:00"}
    page = client.post(f"/partner/{rose.venue.pk}/staff/{staff.pk}/shifts/new/", asked)
    api = Api(Browser(), rose.owner)("POST", f"/venues/{rose.venue.pk}/shifts", {"staff_id": staff.pk, **asked})
    assert "Cara New already works 10:00–16:00 that day." in page.content.decode()
    assert (api.status_code, api.json()["code"], api.json()["message"]) == (
        409, "overlapping_shift", "Cara New already works 10:00–16:00 that day.")


def test_clashes_with_is_the_rule_on_the_model() -> None:
    def shift(weekday: int, start: int, end: int, frm: dt.date | None = None, until: dt.date | None = None,
              staff_id: int = 1) -> Shift:
        return Shift(staff_id=staff_id, weekday=weekday, start=dt.time(start), end=dt.time(end), valid_from=frm,
                     valid_until=until)

    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert shift(2, 10, 16).clashes_with(shift(2, 15, 18))
    assert not shift(2, 10, 16).clashes_with(shift(2, 16, 18))
    assert not shift(2, 10, 16).clashes_with(shift(2, 10, 16, staff_id=2))
    assert not shift(2, 10, 16, *june).clashes_with(shift(2, 10, 16, dt.date(2026, 7, 1)))
    assert shift(2, 10, 16, *june).clashes_with(shift(2, 10, 16, None, dt.date(2026, 6, 1)))

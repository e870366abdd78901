"""Time off and closures that overlap ones already set are refused, with the one already there named: the page
would list both and the owner could not tell which one holds (found when a new owner added a second, overlapping
week off and a second, overlapping Christmas closure, and customers read both closures)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from pamper.errors import Refusal
from pamper.venues import actions
from pamper.venues.models import Closure, TimeOff

from . import factories as f

pytestmark = pytest.mark.django_db


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, tzinfo=dt.UTC)


def test_time_off_that_overlaps_time_off_already_set_is_refused():
    venue = f.venue()
    ana, ben = f.staff(venue, "Ana", services=[]), f.staff(venue, "Ben", services=[])
    actions.add_time_off(staff=ana, start=at(4, 0), end=at(6, 0), reason="Holiday")
    with translation.override("en"), pytest.raises(Refusal) as refused:
        actions.add_time_off(staff=ana, start=at(5, 10), end=at(7, 12))
    assert refused.value.status == 409
    assert refused.value.code == "overlapping_time_off"
    assert "Ana is already off" in refused.value.message and "4 Jan 2027" in refused.value.message
    assert TimeOff.objects.filter(staff=ana).count() == 1
    # Back to back is fine, and so is someone else's time off at the same time.
    actions.add_time_off(staff=ana, start=at(6, 0), end=at(7, 0))
    actions.add_time_off(staff=ben, start=at(5, 10), end=at(7, 12))
    assert TimeOff.objects.filter(staff__venue=venue).count() == 3


def test_a_closure_that_overlaps_a_closure_already_set_is_refused():
    venue = f.venue()
    actions.add_closure(venue=venue, start_date=dt.date(2026, 12, 24), end_date=dt.date(2026, 12, 27), reason="Xmas")
    with translation.override("en"), pytest.raises(Refusal) as refused:
        actions.add_closure(venue=venue, start_date=dt.date(2026, 12, 26), end_date=dt.date(2027, 1, 1))
    assert refused.value.status == 409
    assert refused.value.code == "overlapping_closure"
    assert "24 Dec 2026" in refused.value.message and "27 Dec 2026" in refused.value.message
    assert Closure.objects.filter(venue=venue).count() == 1
    actions.add_closure(venue=venue, start_date=dt.date(2026, 12, 28), end_date=dt.date(2027, 1, 1))
    assert Closure.objects.filter(venue=venue).count() == 2

"""Time off entered in the hour the clocks repeat (01:00-02:00 in London on the last Sunday of October) covers the
whole of what the owner wrote: it starts at the first pass of its start time and ends at the last pass of its end.

Both ends were read at their first pass (fold=0), so "01:15 to 01:45" was stored as 00:15-00:45 UTC and the
practitioner showed free in the second 01:15-01:45 (01:15-01:45 UTC), and "00:30 to 01:30" stopped an hour early.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client as Browser

from pamper.partner.forms import local_instant
from pamper.venues.models import TimeOff

from .factories import Salon, utc

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
BACK = "2026-10-25"  # the clocks go back at 02:00 BST to 01:00 GMT


@pytest.mark.parametrize(("start", "end", "stored"), [
    ("01:15", "01:45", (utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 1, 45))),   # inside the repeated hour
    ("00:30", "01:30", (utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 1, 30))),  # ending in it
    ("01:30", "03:00", (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3, 0))),    # starting in it
    ("01:00", "02:00", (utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 2, 0))),     # the whole of it: two hours
    ("00:00", "23:59", (utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 23, 59))),  # the 25-hour day
])
def test_time_off_in_the_repeated_hour_covers_both_passes(client: Browser, rose: Salon, start: str, end: str,
                                                           stored: tuple[dt.datetime, dt.datetime]) -> None:
    client.force_login(rose.owner)
    answer = client.post(f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/time-off/new/", {
        "start_date": BACK, "start_time": start, "end_date": BACK, "end_time": end, "reason": "Night inventory"})
    assert answer.status_code == 302, answer.content.decode()[:500]
    off = TimeOff.objects.get(staff=rose.ana)
    assert (off.start, off.end) == stored


def test_the_latest_reading_of_a_wall_time_differs_only_in_the_repeated_hour() -> None:
    def at(wall: dt.time, **how: bool) -> dt.datetime:
        return local_instant(dt.date(2026, 10, 25), wall, LONDON, **how).astimezone(dt.UTC)

    assert at(dt.time(1, 30)) == utc(2026, 10, 25, 0, 30)
    assert at(dt.time(1, 30), latest=True) == utc(2026, 10, 25, 1, 30)
    for wall in (dt.time(0, 30), dt.time(2, 0), dt.time(10, 0)):
        assert at(wall, latest=True) == at(wall)

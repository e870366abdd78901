"""A time the clocks skip is refused with the zone named for people, not as an IANA id."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django import forms

from pamper.partner.forms import local_instant


def test_a_skipped_time_names_the_zone_for_people() -> None:
    with pytest.raises(forms.ValidationError) as refused:
        local_instant(dt.date(2026, 3, 29), dt.time(1, 30), zoneinfo.ZoneInfo("Europe/London"))
    message = " ".join(refused.value.messages)
    assert "01:30 does not exist on 29 Mar 2026" in message
    assert "Europe/London" not in message and " in GMT:" in message


def test_an_ordinary_time_is_its_instant() -> None:
    assert local_instant(dt.date(2026, 3, 30), dt.time(9, 0), zoneinfo.ZoneInfo("Europe/London")) == dt.datetime(
        2026, 3, 30, 8, 0, tzinfo=dt.UTC)

"""No template writes a date for people with Django's |date filter: its formats put English order and
punctuation around translated month names ('Mo 4 Mai', '2 März 2026'). People read dates through the Babel
filters (|day, |when, |seen); |date stays for machine formats only (ISO 8601, sortable keys).

Nor does a template write a time of day with |time, or |date with an hour, outside a {% timezone %} block: both
turn an aware datetime into the current zone first, which Pamper leaves at UTC (the booking page showed a 10:00
London visit in summer as 09:00). Times go through |local_time or |when with the venue's zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.utils import translation

import pamper
from pamper.lib import clock
from pamper.lib.format_tags import seen

MACHINE_FORMATS = {"c", "Y-m-d", "Ymd", "U", "Y-m-d\\TH:i", "H:i"}
DATE_FILTER = re.compile(r"""\|date(?::(["'])(?P<format>[^"']*)\1)?""")
CLOCK_FILTER = re.compile(r"""\|time\b|\|date:(["'])[^"']*[GgHhiAaPsu][^"']*\1""")
ZONE_BLOCK = re.compile(r"(?s)\{%\s*timezone\b.*?\{%\s*endtimezone\s*%\}")


def test_every_date_a_template_shows_to_people_goes_through_babel() -> None:
    offenders = []
    root = Path(pamper.__file__).parent
    for path in sorted([*root.glob("**/templates/**/*.html"), *root.glob("**/templates/**/*.txt")]):
        text = path.read_text(encoding="utf-8")
        for match in DATE_FILTER.finditer(text):
            if match["format"] not in MACHINE_FORMATS:
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(root)}:{line}: {match[0]}")
    assert not offenders, "\n".join(offenders)


def test_no_template_writes_a_time_of_day_in_the_servers_zone() -> None:
    offenders = []
    root = Path(pamper.__file__).parent
    for path in sorted([*root.glob("**/templates/**/*.html"), *root.glob("**/templates/**/*.txt")]):
        text = ZONE_BLOCK.sub(lambda block: "\n" * block[0].count("\n"), path.read_text(encoding="utf-8"))
        for match in CLOCK_FILTER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(root)}:{line}: {match[0]}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("text", ['{{ x|time:"H:i" }}', "{{ x|time }}", "{{ x|date:'Y-m-d H:i' }}"])
def test_the_clock_check_finds_a_time_of_day(text: str) -> None:
    assert CLOCK_FILTER.search(text)
    assert not CLOCK_FILTER.search("{{ x|date:'Y-m-d' }} {{ x|local_time:venue.timezone }} {{ x|timesince }}")


@pytest.mark.parametrize("fmt", ["j M Y", "D j M Y H:i"])
def test_the_check_finds_a_human_format(fmt: str) -> None:
    assert DATE_FILTER.search(f'{{{{ x|date:"{fmt}" }}}}')["format"] == fmt


def test_an_instant_of_no_venue_is_shown_in_the_readers_zone_else_in_utc_said_so() -> None:
    instant = dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)
    with translation.override("de"):
        assert seen(instant) == "Mi., 1. Juli 2026, 12:30 UTC"
        token = clock.viewer_zone.set(zoneinfo.ZoneInfo("Europe/Berlin"))
        try:
            assert seen(instant) == "Mi., 1. Juli 2026, 14:30"
        finally:
            clock.viewer_zone.reset(token)
    assert seen(None) == ""

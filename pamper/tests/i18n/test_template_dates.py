"""No template writes a date for people with Django's |date filter: its formats put English order and
punctuation around translated month names ('Mo 4 Mai', '2 März 2026'). People read dates through the Babel
filters (|day, |when, |seen); |date stays for machine formats only (ISO 8601, sortable keys).

Nor does a template write a time of day with |time, or |date with an hour, outside a {% timezone %} block: both
turn an aware datetime into the current zone first, which Pamper leaves at UTC (the booking page showed a 10:00
London visit in summer as 09:00). Times go through |local_time or |when with the venue's zone.

Nor does Python write a time of day for a page by hand (strftime's %H:%M, Django's date_format, a bare
formats.clock_time or formats.local_time): those never name the zone, where |when, |local_time,
clock.format_local and clock.format_clock name it for a reader in another zone (the checkout's 'until 15:30' and
the workspace's item times read as the viewer's own clock in New York)."""

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
# A time of day written in Python: strftime or an f-string's %H:%M (not a machine stamp after %Y-%m-%d, not a form
# widget's or parser's format), Django's date_format, or the zone-blind Babel helpers.
PY_CLOCK = re.compile(r"""(?<!%Y-%m-%d )(?<!%Y-%m-%dT)(?<!format=")(?<!formats = \[")%H:%M|\bdate_format\(|"""
                      r"""\bformats\.(?:clock_time|local_time)\(""")
# Where a bare time of day is right: the page says the zone once beside a grid of times (the booking page's
# picker, 'Times are the venue's local time: British Time'; the workspace calendar, 'Times in ...'; the clinical
# checkout's slots), a wall-clock hour that is no instant, or a machine format.
PY_CLOCK_ALLOWED = {
    "bookings/picker.py": "slot buttons under the page's zone note",
    "partner/calendar.py": "the calendar grid under 'Times in ...' (the zone added where the day has two offsets)",
    "clinical/views/checkout.py": "slot buttons under the checkout's zone note",
    "venues/structured.py": "JSON-LD opening hours (machine)",
    "partner/forms.py": "opening-hours form values (wall-clock times, no instant)",
    "partner/diary_forms.py": "a wall-clock time the clocks repeat, then its two passes each named by zone",
    "ops/scaletest/run.py": "an operator's report, in UTC and said so",
}


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


def test_no_python_writes_a_time_of_day_for_people_without_its_zone() -> None:
    offenders = []
    root = Path(pamper.__file__).parent
    for path in sorted(root.glob("**/*.py")):
        relative = path.relative_to(root).as_posix()
        parts = set(path.relative_to(root).parts)
        if relative.startswith("lib/") or {"tests", "migrations"} & parts or relative in PY_CLOCK_ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PY_CLOCK.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("line", ['label = local.strftime("%H:%M")', 'f"{end.astimezone(tz):%H:%M}"',
                                  'date_format(start, "D j M, H:i")', "formats.clock_time(start)",
                                  "formats.local_time(start, tz)"])
def test_the_python_clock_check_finds_a_bare_time(line: str) -> None:
    assert PY_CLOCK.search(line)
    for fine in ('f"{self.at:%Y-%m-%d %H:%M}Z"', 'format="%Y-%m-%dT%H:%M"', 'TimeInput(format="%H:%M")',
                 "clock.format_clock(start, tz)", "clock.format_local(start, tz)"):
        assert not PY_CLOCK.search(fine), fine


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

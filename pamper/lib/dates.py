"""The dates and instants a request may name: windows around today that a real booking can use.

Date arithmetic near year 1 or 9999 overflows (the week after 9999-12-31 does
not exist, nor does 0001-01-01T00:00+01:00 in UTC), and no diary, booking or
search needs a date decades away. So every date or instant that comes from
outside is checked against one of two windows before any code does sums with
it, in one of three ways, all built on `check_day` / `check_instant`:

- the API: the annotated types `DiaryDate`, `DiaryInstant` and `VisitStart` (pydantic, so
  ninja answers 422 `invalid` naming the field);
- forms: `BoundedDateField` / `BoundedDateTimeField` (or `Bounded` mixed into
  a field of one's own), a form error and so a 400;
- query strings: `parse_day` / `parse_instant`, a ValueError to turn into a
  400 (or to ignore, where the date only steers what a picker shows).

The windows, counted from today (UTC; each has a day of slack for zones):
- DIARY, for what a person looks at or plans: a year back and two years
  ahead (diaries, booking lists, availability, search filters, shifts,
  closures, time off);
- VISIT, for when a visit starts: a month back (a venue entering a walk-in
  late) and a year ahead (the longest booking horizon a venue may set is 365
  days, venues.Venue.horizon_days).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.utils.translation import gettext
from pydantic import AfterValidator, BeforeValidator

from pamper.lib import clock


@dataclass(frozen=True)
class Window:
    """Days back and ahead of today that a date may fall on (inclusive)."""

    back_days: int
    ahead_days: int

    def bounds(self, today: dt.date) -> tuple[dt.date, dt.date]:
        return today - dt.timedelta(days=self.back_days), today + dt.timedelta(days=self.ahead_days)


DIARY = Window(back_days=366, ahead_days=2 * 366)
VISIT = Window(back_days=31, ahead_days=366)
# The last day a practitioner's registration, insurance or training counts: registrations run for years.
CREDENTIAL = Window(back_days=366, ahead_days=10 * 366)


def day_problem(day: dt.date, window: Window, today: dt.date | None = None, *, of_time: bool = False) -> str | None:
    """Why `day` is outside the window (a sentence about a date, or with `of_time` a time), or None when inside."""
    first, last = window.bounds(today or clock.now().date())
    if first <= day <= last:
        return None
    bounds = {"first": first.isoformat(), "last": last.isoformat()}
    if of_time:
        return gettext("Choose a time from %(first)s to %(last)s.") % bounds
    return gettext("Choose a date from %(first)s to %(last)s.") % bounds


def check_day(day: dt.date, window: Window = DIARY) -> dt.date:
    """`day` itself; ValueError with a sentence when it lies outside the window."""
    problem = day_problem(day, window)
    if problem:
        raise ValueError(problem)
    return day


def check_instant(value: dt.datetime, window: Window = VISIT) -> dt.datetime:
    """`value` itself; ValueError when its date lies outside the window.

    The wall-clock date is checked (no time zone conversion, which is what
    overflows at the ends of the calendar); a naive value passes here if its
    date does, and the caller refuses it for its missing offset as before.
    """
    problem = day_problem(value.date(), window, of_time=True)
    if problem:
        raise ValueError(problem)
    return value


def parse_day(text: str, window: Window = DIARY) -> dt.date:
    """An ISO date (2026-03-31) inside the window; ValueError with a sentence for anything else."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(gettext("The date must look like 2026-03-31.")) from exc
    return check_day(day, window)


def parse_instant(text: str, window: Window = VISIT) -> dt.datetime:
    """An ISO 8601 instant with its UTC offset inside the window; ValueError with a sentence otherwise."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(gettext("The time must look like 2026-03-31T14:30:00+01:00.")) from exc
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(gettext("Give the time with its UTC offset, e.g. 2026-03-31T14:30:00+01:00."))
    return check_instant(value, window)


# --- the API: annotated types ----------------------------------------------------------------------------


def _diary_day(day: dt.date) -> dt.date:
    return check_day(day, DIARY)


def _diary_instant(value: dt.datetime) -> dt.datetime:
    return check_instant(value, DIARY)


def _visit_instant(value: dt.datetime) -> dt.datetime:
    return check_instant(value, VISIT)


def _credential_day(day: dt.date) -> dt.date:
    return check_day(day, CREDENTIAL)


# What a client sends is read as the ISO text it must be: pydantic would also read a number as a Unix time
# (`"start": 1796000000`) or as days, and a string of digits likewise.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*")


def _day_text(value: object) -> object:
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value.strip())):
        return value.strip() if isinstance(value, str) else value
    raise ValueError(gettext("The date must look like 2026-03-31."))


def _instant_text(value: object) -> object:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_INSTANT.fullmatch(value.strip())):
        return value.strip() if isinstance(value, str) else value
    raise ValueError(gettext("The time must look like 2026-03-31T14:30:00+01:00."))


# A local date to look at or plan with; an instant something was done or read (a clinical record: its own rules
# then say how late it may be entered); the start of a visit.
DiaryDate = Annotated[dt.date, BeforeValidator(_day_text), AfterValidator(_diary_day)]
DiaryInstant = Annotated[dt.datetime, BeforeValidator(_instant_text), AfterValidator(_diary_instant)]
VisitStart = Annotated[dt.datetime, BeforeValidator(_instant_text), AfterValidator(_visit_instant)]
CredentialDate = Annotated[dt.date, BeforeValidator(_day_text), AfterValidator(_credential_day)]


# --- forms ---------------------------------------------------------------------------------------------------


class Bounded:
    """Mixed into a form DateField or DateTimeField: the value must fall inside `window` (default DIARY)."""

    window: Window = DIARY

    def __init__(self, *args: Any, window: Window | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if window is not None:
            self.window = window

    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        try:
            if isinstance(value, dt.datetime):
                check_instant(value, self.window)
            elif isinstance(value, dt.date):
                check_day(value, self.window)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="out_of_range") from exc


class BoundedDateField(Bounded, forms.DateField):
    """A DateField whose date must fall inside a window (DIARY unless `window=` says otherwise)."""


class BoundedDateTimeField(Bounded, forms.DateTimeField):
    """A DateTimeField whose date must fall inside a window (DIARY unless `window=` says otherwise)."""


class VisitDateField(BoundedDateField):
    """The local date of a visit's start: inside the VISIT window."""

    window = VISIT


def is_bounded(field: forms.Field) -> bool:
    """True for a form field that checks its date against a window (the test of every form uses it)."""
    return isinstance(field, Bounded)

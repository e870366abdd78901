"""A clinical time outside what it records is refused in one sentence of the reader's language: the window (the
booking, the consultation, the client's record, after the test was applied) is named by the translated sentence,
never by an English phrase spliced into it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from pamper.clinical import timing
from pamper.errors import Refusal

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
ENGLISH = ("the booking", "the consultation booking", "the client's record", "the time after the test")


def _windows() -> list[timing.Window]:
    client = SimpleNamespace(created_at=NOW - dt.timedelta(days=3))
    return [timing.booking_window(NOW - dt.timedelta(hours=2), NOW - dt.timedelta(hours=1), NOW, "booking"),
            timing.booking_window(NOW - dt.timedelta(hours=2), None, NOW, "consultation"),
            timing.client_window(client, NOW),  # type: ignore[arg-type]
            timing.Window(start=NOW - dt.timedelta(days=1), end=NOW, what="after_applied")]


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl", "pt"])
def test_an_out_of_range_time_is_refused_in_one_language(language: str) -> None:
    venue = SimpleNamespace(tz=ZoneInfo("Europe/Berlin"))
    with translation.override(language):
        for window in _windows():
            with pytest.raises(Refusal) as refused:
                timing.check_event_time(window.start - dt.timedelta(days=30), field="at", label="X", window=window,
                                        now=NOW, venue=venue)  # type: ignore[arg-type]
            message = str(refused.value.message)
            assert refused.value.code == "time_out_of_range"
            assert not any(words in message for words in ENGLISH), (language, message)


def test_english_names_each_window() -> None:
    venue = SimpleNamespace(tz=ZoneInfo("Europe/London"))
    said = []
    with translation.override("en"):
        for window in _windows():
            with pytest.raises(Refusal) as refused:
                timing.check_event_time(window.start - dt.timedelta(days=30), field="at", label="X", window=window,
                                        now=NOW, venue=venue)  # type: ignore[arg-type]
            said.append(str(refused.value.message))
    assert [s.split(":")[0] for s in said] == [
        "X must fall inside the booking", "X must fall inside the consultation booking",
        "X must fall inside the client's record at the venue", "X must come after the test was applied"]

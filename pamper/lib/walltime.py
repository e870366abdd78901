"""The wall-clock times of a weekly schedule (opening hours, shifts), where a day's interval may end at midnight.

An interval is half-open, [start, end), in minutes of the local day; its end may be 24:00 (minute 1440), the
midnight that ends the day, so a venue open until midnight or a night shift split at midnight can be entered. A
`datetime.time` cannot hold 24:00, so the end of the day is stored as END_OF_DAY (`time.max`, 23:59:59.999999):
it sorts after every time of the day, so the models' checks (an end after its start), the clash and overlap
queries and the venue's "open now" need nothing special. It is read as minute 1440 and written "24:00". An end
written 00:00 means the same midnight (an end can be nothing else), which is what a time picker offers. Nothing
starts at 24:00: that is 00:00 on the next day. Pure: no database.
"""

from __future__ import annotations

import datetime as dt

END_OF_DAY = dt.time.max
MIDNIGHT_END = "24:00"
DAY_MINUTES = 1440
_STORED_END = END_OF_DAY.isoformat()  # how SQLite hands the value back when a query loses the column's type


def minute_of_day(value: dt.time | str) -> int:
    """0-1439 for a time of day, 1440 for END_OF_DAY (also given as stored text, 'HH:MM[:SS[.ffffff]]')."""
    if isinstance(value, str):
        if value == _STORED_END:
            return DAY_MINUTES
        return int(value[:2]) * 60 + int(value[3:5])
    return DAY_MINUTES if value == END_OF_DAY else value.hour * 60 + value.minute


def text(value: dt.time) -> str:
    """'09:30'; '24:00' for END_OF_DAY."""
    return MIDNIGHT_END if value == END_OF_DAY else f"{value:%H:%M}"


def as_end(value: dt.time) -> dt.time:
    """An interval's end as stored: 00:00 (the midnight that ends the day) becomes END_OF_DAY; others stay."""
    return END_OF_DAY if value == dt.time(0) else value


def at(day: dt.date, value: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The aware local instant of a wall-clock time on a date; END_OF_DAY is the next day's midnight (a 23- or
    25-hour day, or a zone whose clocks change at midnight, included: as zoneinfo reads that wall time)."""
    if value == END_OF_DAY:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return dt.datetime.combine(day, value, tzinfo=tz)

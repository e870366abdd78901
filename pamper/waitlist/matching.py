"""Which free times suit a waitlist entry. Pure: no database, `now` passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from pamper.bookings.availability import Slot
from pamper.bookings.localtime import LocalCalendar

from .models import PART_MINUTES, PartOfDay

MAX_TRIED = 5  # free times tried per entry and round: enough to pass a few lost races, few enough to stay cheap


def suitable(slots: Sequence[Slot], *, timezone: str, part_of_day: str, tried: Iterable[tuple[int, int]] = (),
             limit: int = MAX_TRIED) -> list[Slot]:
    """The slots (sorted by start) whose local start falls in `part_of_day`, at most `limit`, minus those
    overlapping a span in `tried` ([start, end) UTC minutes already offered to this entry: a time let go is
    not offered again, nor one a quarter of an hour later). An unknown part of the day means any time."""
    lo, hi = PART_MINUTES.get(part_of_day, PART_MINUTES[PartOfDay.ANY])  # type: ignore[call-overload]
    cal = LocalCalendar(timezone)
    skip = list(tried)
    found = []
    for slot in slots:
        if any(start < slot.end and slot.start < end for start, end in skip):
            continue
        _, minute = cal.wall(slot.start)
        if lo <= minute < hi:
            found.append(slot)
            if len(found) >= limit:
                break
    return found


def window(first_day: dt.date, last_day: dt.date, today: dt.date, horizon_last: dt.date) -> tuple[dt.date, dt.date]:
    """The local days still worth searching for an entry: from today (or its first day) to its last day, inside
    the venue's horizon. An empty window comes back with last < first."""
    return max(first_day, today), min(last_day, horizon_last)

"""The one clock business code reads. Tests freeze it with time-machine."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from pamper.lib import formats


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(tz=dt.UTC)


def local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant in the given zone."""
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    return instant.astimezone(zone)


def format_local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None) -> str:
    """'Tue, 3 Mar 2026, 14:30 GMT (Europe/London)', 'Di., 3. März 2026, 15:30 CET (Europe/Berlin)': the instant
    in the zone's wall-clock time with the zone named, in the reader's language (the active one unless given)."""
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    when = instant.astimezone(zone)
    date, time = formats.day(when, "weekday", language), formats.clock_time(when, language)
    return f"{date}, {time} {when.tzname()} ({zone.key})"

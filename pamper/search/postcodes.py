"""Postcodes of the served countries to their town, offline.

The data is a compact file shipped with the code (data/postcodes.tsv.gz, one line per code: country, code,
town, latitude, longitude), built by `manage.py build_postcodes` from the PyPI package
countrystatecity-postal-codes (ODbL; © countries-states-cities-database contributors) and a small table
of Irish Eircode routing keys. No network call, ever. What a code resolves to:

- United Kingdom: the postcode area ('SW1A 1AA' -> London, 'M1 1AE' -> Manchester, 'LS1' -> Leeds);
- Ireland: the Eircode routing key ('D02 X285' -> Dublin, 'T12 ...' -> Cork) where the table has it;
- Portugal: the first four digits ('1000-001' -> Lisboa);
- the Netherlands: the four digits ('1012 AB' -> Amsterdam);
- Belgium, Germany, France, Italy: the whole code ('75001' -> Paris, '10115' -> Berlin);
- Spain: the province's capital for its own codes ('28013' -> Madrid; the package has no Spanish postcodes,
  so other Spanish codes are not resolved).

A five-digit code may exist in several countries ('28013': Madrid, and a village in Italy): every match
is returned, the visitor's country first, then the bigger town. The codes are a table of the place file
(placedata.py), read on demand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .placedata import Store, store

# The shapes of each country's codes, on the folded text (upper case, spaces kept as one).
UK = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)(?: ?([0-9][A-Z]{2}))?$")
EIRCODE = re.compile(r"^([AC-FHKNPRTV-Y][0-9]{2}|D6W)(?: ?[0-9AC-FHKNPRTV-Y]{4})?$")
NL = re.compile(r"^([1-9][0-9]{3})(?: ?[A-Z]{2})?$")
PT = re.compile(r"^([1-9][0-9]{3})(?:-[0-9]{3})?$")
FOUR = re.compile(r"^[1-9][0-9]{3}$")
FIVE = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True, slots=True)
class PostcodeTown:
    country: str
    code: str  # the part of the code that was matched ('SW', '75001', '1000')
    town: str
    lat: float
    lng: float
    population: int


def keys_for(text: str) -> list[tuple[str, str]]:
    """(country, key) pairs a text could be, in no order: ('GB', 'SW') for 'SW1A 1AA'; [] when none."""
    code = " ".join(text.upper().split())
    keys: list[tuple[str, str]] = []
    if match := UK.match(code):
        keys.append(("GB", match.group(1)))
    if match := EIRCODE.match(code):
        keys.append(("IE", match.group(1)))
    if match := NL.match(code):
        keys.append(("NL", match.group(1)))
    if match := PT.match(code):
        keys.append(("PT", match.group(1)))
    if FOUR.match(code):
        keys.append(("BE", code))
    if FIVE.match(code):
        keys += [(country, code) for country in ("DE", "FR", "IT")]
        keys.append(("ES", code[:3]))  # Correos: 2 digits of province, a third 0 for its capital
    return keys


def looks_like_postcode(text: str) -> bool:
    """True when the text has the shape of a code of one of the served countries (and a digit)."""
    return any(ch.isdigit() for ch in text) and bool(keys_for(text))


class PostcodeIndex:
    """The postcode table of the place file (placedata.py): 'CC key' to its town."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lookup(self, text: str, prefer: str | None = None) -> list[PostcodeTown]:
        """Every town the text is a postcode of: the `prefer` country first, then the most populous."""
        found = []
        for country, key in keys_for(text):
            rows = self.store.rows("SELECT town, lat, lng, population FROM postcode WHERE key = ? ORDER BY town "
                                   "LIMIT 1", (f"{country} {key}",))
            found += [PostcodeTown(country, key, *row) for row in rows]
        found.sort(key=lambda p: (p.country != prefer, -p.population))
        return found


def index() -> PostcodeIndex:
    """The postcode index over the process-wide place file."""
    return PostcodeIndex(store())


def lookup(text: str, prefer: str | None = None) -> list[PostcodeTown]:
    """Towns for a postcode (see the module docstring); [] when the text is no known code."""
    if not looks_like_postcode(text):
        return []
    return index().lookup(text, prefer)

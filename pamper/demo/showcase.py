"""The searches Pamper is shown with find venues to compare in a demo of any size.

Venues are scattered over the demo countries' towns by population, so a 3,000-venue demo held one clinic offering
mesotherapy near Manchester, and a 300-venue one none: "mesotherapy near Manchester" or "cellulite near Paris", the
searches a newcomer tries first, came back with one venue or with nothing. So the first venues of every seed are
clinics in the biggest cities of each country (a few more in the biggest), each offering mesotherapy and the other
treatments people ask about for cellulite on top of what a clinic draws anyway; the rest are drawn as before.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .offer import TreatmentInfo
from .places import City, demo_cities

# (city, country, how many clinics), most searched first.
SHOWCASE = (
    ("Manchester", "GB", 3), ("London", "GB", 3), ("Birmingham", "GB", 2), ("Leeds", "GB", 2),
    ("Glasgow", "GB", 2), ("Liverpool", "GB", 1), ("Bristol", "GB", 1), ("Edinburgh", "GB", 1),
    ("Dublin", "IE", 2), ("Paris", "FR", 2), ("Lyon", "FR", 1), ("Madrid", "ES", 2), ("Barcelona", "ES", 1),
    ("Berlin", "DE", 2), ("Munich", "DE", 1), ("Rome", "IT", 2), ("Milan", "IT", 1), ("Amsterdam", "NL", 2),
    ("Lisbon", "PT", 2), ("Brussels", "BE", 1),
)
FEATURED = ("mesotherapy", "endermologie", "ultrasound-cavitation")


@functools.cache
def showcase_cities() -> tuple[City, ...]:
    """One entry per showcase clinic, in SHOWCASE's order; a city the place data lacks is left out."""
    centres: dict[tuple[str, str], City] = {}
    for city in demo_cities():  # biggest first: the city itself before its districts
        centres.setdefault((city.name, city.country), city)
    return tuple(centres[name, country] for name, country, count in SHOWCASE for _ in range(count)
                 if (name, country) in centres)


def showcase_city(index: int) -> City | None:
    """Where the generated venue `index` (1 for the first after Pamper Demo Clinic) is, if it is a showcase clinic."""
    cities = showcase_cities()
    return cities[index - 1] if 1 <= index <= len(cities) else None


def with_featured(chosen: list[TreatmentInfo], catalogue: Sequence[TreatmentInfo]) -> list[TreatmentInfo]:
    """`chosen` and the FEATURED treatments it lacks, in the catalogue's order."""
    have = {t.slug for t in chosen}
    return chosen + [t for t in catalogue if t.slug in FEATURED and t.slug not in have]

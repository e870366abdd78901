"""The towns landing pages are about: the venues' towns, placed with the search app's place index.

A town is a (city, country) some published venue offering a treatment lies
in (the search rows carry both). Its centre is the place the search app
knows by that name in that country, or the venues' mean position when it
knows none. Its slug is the city's name slugified; a name found in several
countries gets the country code appended ("valencia-es").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Avg, Count
from django.utils.text import slugify

from pamper.lib.locales import locale_for
from pamper.search import places
from pamper.search.models import SearchRow

from . import cache as seo_cache

TOWNS_KEY = "seo:towns"


@dataclass(frozen=True)
class Town:
    slug: str
    name: str
    country: str
    lat: float
    lng: float
    venues: int  # offerings (venue, treatment) in the town: how big it is for Pamper
    zone: str = ""  # the time zone of the place index's town of that name, if it knows one

    @property
    def shown_name(self) -> str:
        """The town's name in the active language ('Londres' on a French page): places.local_name. `name` stays
        the venues' own spelling, which the landing pages' queries match."""
        return places.local_name(self.name, self.zone, locale_for())

    def km_to(self, other: Town) -> float:
        """Great-circle distance to another town, in kilometres."""
        p1, p2 = math.radians(self.lat), math.radians(other.lat)
        dp, dl = p2 - p1, math.radians(other.lng - self.lng)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _centre(city: str, country: str, lat: float, lng: float) -> tuple[float, float, str]:
    """The town's centre and time zone from the place index, else the venues' mean position and no zone."""
    found = places.index().named(city, country)
    if found:
        return found[0].lat, found[0].lng, found[0].timezone
    return lat, lng, ""


def _build() -> tuple[dict[str, Town], list[str]]:
    rows = (SearchRow.objects.values_list("city", "country")
            .annotate(n=Count("id"), lat=Avg("latitude"), lng=Avg("longitude")).order_by("country", "city"))
    rows = [row for row in rows if slugify(row[0])]
    countries_of: dict[str, set[str]] = {}
    for city, country, *_ in rows:
        countries_of.setdefault(slugify(city), set()).add(country)
    towns: dict[str, Town] = {}
    for city, country, n, lat, lng in rows:
        slug = slugify(city)
        if len(countries_of[slug]) > 1:
            slug = f"{slug}-{country.lower()}"
        if slug in towns and towns[slug].venues >= n:  # 'St Albans' and 'St. Albans': one town, the bigger name
            continue
        centre_lat, centre_lng, zone = _centre(city, country, lat, lng)
        towns[slug] = Town(slug, city, country, centre_lat, centre_lng, venues=n, zone=zone)
    return towns, [TOWNS_KEY]


def all_towns() -> dict[str, Town]:
    """Every town with at least one offering, by slug (cached until a venue changes)."""
    return seo_cache.cached("seo:towns:all", _build)


def town(slug: str) -> Town | None:
    return all_towns().get(slug)


def nearest(origin: Town, candidates: list[Town], limit: int) -> list[Town]:
    """The candidates nearest to origin (origin itself left out), nearest first."""
    others = [t for t in candidates if t.slug != origin.slug]
    return sorted(others, key=origin.km_to)[:limit]

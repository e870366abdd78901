"""The sitemaps: guides, venues and landing pages, each URL in every language with hreflang alternates.

`lastmod` is when what the page shows last changed: a venue's stamp (a write
announced by venues, or its rating rebuilt), its creation, or its rating's
update; a guide's stamp from the catalogue loader; a landing page's latest
among the venues it counts and its treatment. Each file holds at most LIMIT
entries (each with its alternates), well below the 50,000 URLs a sitemap may
hold; the index lists every file. A section's items are read once and cached
until a venue, a rating or the catalogue changes (SITEMAPS_KEY).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pamper.catalog.models import Category, Treatment
from pamper.reviews.models import VenueRating
from pamper.search.models import SearchRow
from pamper.venues.models import Venue

from . import cache as seo_cache
from .models import Stamp
from .towns import all_towns

SITEMAPS_KEY = "seo:sitemaps"

LIMIT = 5000


def venue_lastmods(venue_ids: Iterable[int] | None = None) -> dict[int, dt.datetime]:
    """Venue id -> the latest of its creation, its change stamp and its rating's update."""
    venues = Venue.objects.filter(is_published=True)
    stamps = Stamp.objects.filter(kind=Stamp.Kind.VENUE)
    ratings = VenueRating.objects.all()
    if venue_ids is not None:
        ids = list(venue_ids)
        venues, stamps, ratings = venues.filter(id__in=ids), stamps.filter(object_id__in=ids), ratings.filter(
            venue_id__in=ids)
    found = dict(venues.values_list("id", "created_at"))
    for rows in (stamps.values_list("object_id", "changed_at"), ratings.values_list("venue_id", "updated_at")):
        for venue_id, when in rows:
            if venue_id in found and when > found[venue_id]:
                found[venue_id] = when
    return found


def treatment_lastmods() -> dict[int, dt.datetime]:
    return dict(Stamp.objects.filter(kind=Stamp.Kind.TREATMENT).values_list("object_id", "changed_at"))


class PamperSitemap(Sitemap):
    limit = LIMIT
    i18n = len(settings.LANGUAGES) > 1
    alternates = True
    x_default = True

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def items(self) -> list[Any]:
        return seo_cache.cached(f"seo:sitemap:{type(self).__name__}", lambda: (self.read(), [SITEMAPS_KEY]))

    def read(self) -> list[Any]:
        raise NotImplementedError

    def get_latest_lastmod(self) -> dt.datetime | None:
        return max((self.lastmod(item) for item in self.items() if self.lastmod(item)), default=None)

    def lastmod(self, item: Any) -> dt.datetime | None:
        return item[-1]


class GuideSitemap(PamperSitemap):
    """The treatments A–Z, the categories and every treatment's guide page."""

    def read(self) -> list[tuple[str, tuple, dt.datetime | None]]:
        stamps = treatment_lastmods()
        guides = [("catalog:detail", (slug,), stamps.get(tid))
                  for tid, slug in Treatment.objects.order_by("slug").values_list("id", "slug")]
        by_category: dict[int, dt.datetime] = {}
        for tid, category_id in Treatment.objects.values_list("id", "category_id"):
            when = stamps.get(tid)
            if when and (category_id not in by_category or when > by_category[category_id]):
                by_category[category_id] = when
        categories = [("catalog:category", (slug,), by_category.get(cid))
                      for cid, slug in Category.objects.order_by("slug").values_list("id", "slug")]
        latest = max(stamps.values(), default=None)
        return [("catalog:index", (), latest), *categories, *guides]

    def location(self, item: tuple) -> str:
        return reverse(item[0], args=item[1])

    def lastmod(self, item: tuple) -> dt.datetime | None:
        return item[2]


class VenueSitemap(PamperSitemap):
    def read(self) -> list[tuple[str, dt.datetime]]:
        lastmods = venue_lastmods()
        slugs = Venue.objects.filter(is_published=True).order_by("id").values_list("id", "slug")
        return [(slug, lastmods[vid]) for vid, slug in slugs if vid in lastmods]

    def location(self, item: tuple[str, dt.datetime]) -> str:
        return reverse("venues:detail", args=[item[0]])


def _landing_items(by_category: bool) -> list[tuple[str, str, dt.datetime]]:
    """(subject slug, town slug, lastmod) for every treatment (or category) offered in every town."""
    towns = {(t.name, t.country): t.slug for t in all_towns().values()}
    subjects = dict(Treatment.objects.values_list("id", "category__slug" if by_category else "slug"))
    lastmods = venue_lastmods()
    stamps = treatment_lastmods()
    latest: dict[tuple[str, str], dt.datetime] = {}
    rows = SearchRow.objects.values_list("treatment_id", "city", "country", "venue_id").order_by()
    for tid, city, country, venue_id in rows.iterator(chunk_size=5000):
        town = towns.get((city, country))
        if town is None or tid not in subjects:
            continue
        key = (subjects[tid], town)
        candidates = [w for w in (lastmods.get(venue_id), stamps.get(tid), latest.get(key)) if w]
        if candidates:
            latest[key] = max(candidates)
    return [(subject, town, when) for (subject, town), when in sorted(latest.items())]


class LandingSitemap(PamperSitemap):
    """A treatment in a town: /treatments/<treatment>/in/<town>/."""

    def read(self) -> list[tuple[str, str, dt.datetime]]:
        return _landing_items(by_category=False)

    def location(self, item: tuple[str, str, dt.datetime]) -> str:
        return reverse("seo:treatment_in_town", args=[item[0], item[1]])


class CategoryLandingSitemap(PamperSitemap):
    """A category in a town: /treatments/category/<category>/in/<town>/."""

    def read(self) -> list[tuple[str, str, dt.datetime]]:
        return _landing_items(by_category=True)

    def location(self, item: tuple[str, str, dt.datetime]) -> str:
        return reverse("seo:category_in_town", args=[item[0], item[1]])


SITEMAPS = {"guides": GuideSitemap, "venues": VenueSitemap, "landing": LandingSitemap,
            "categories": CategoryLandingSitemap}


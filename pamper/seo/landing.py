"""What a landing page shows: a treatment (or a category) in a town, from the search index.

The venues are ranked by the search itself (`search.queries.find_treatment`,
find's place, index query and recommended order around the town's centre); the counts and the price range
come from the offers in the town (the search rows: published venues, active
services). Built once and cached until something it shows changes (cache.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import get_language

from pamper.catalog.models import Category, Treatment
from pamper.search import queries
from pamper.search.models import SearchRow
from pamper.search.params import SearchParams

from . import cache as seo_cache
from . import faq
from .towns import TOWNS_KEY, Town, all_towns, nearest

RADIUS_KM = 25.0
VENUES_SHOWN = 10
NEARBY_TOWNS = 6
RELATED = 8


@dataclass(frozen=True)
class Card:
    """One venue as the landing page lists it (from one search result)."""

    id: int
    slug: str
    name: str
    kind: str
    address: str
    city: str
    lat: float
    lng: float
    rating: float | None
    reviews: int
    distance_km: float
    price_from: Decimal
    currency: str
    next_available: dt.datetime | None
    timezone: str
    services: list[dict]

    @property
    def url(self) -> str:
        return reverse("venues:detail", args=[self.slug])  # under the active language's prefix


@dataclass
class Landing:
    town: Town
    venue_count: int
    low: Decimal
    high: Decimal
    currency: str
    cards: list[Card]
    nearby: list[tuple[Town, int]]  # other towns offering it, nearest first, with their venue counts
    related: list[tuple[Treatment, int]]  # (treatment, venues offering it in this town)
    treatment: Treatment | None = None
    category: Category | None = None
    offered: list[tuple[Treatment, int, Decimal, Decimal]] = field(default_factory=list)  # category pages
    questions: list[faq.Question] = field(default_factory=list)


def _card(result: queries.Result) -> Card:
    v = result.venue
    return Card(v.id, v.slug, v.name, v.kind, v.address, v.city, v.lat, v.lng, v.rating, v.review_count,
                result.distance_km, result.price_from, result.currency, result.next_available, v.timezone,
                result.services)


def ranked(treatment: Treatment, town: Town, now: dt.datetime, limit: int = VENUES_SHOWN) -> list[Card]:
    """The venues around the town's centre offering the treatment, in the search's recommended order."""
    params = SearchParams(q=treatment.name, lat=town.lat, lng=town.lng, country=town.country, radius_km=RADIUS_KM,
                          limit=limit)
    outcome = queries.find_treatment(treatment.id, params, now)
    return [] if outcome.problem else [_card(result) for result in outcome.results]


def _rows(town: Town) -> SearchRow.objects:  # type: ignore[valid-type]
    return SearchRow.objects.filter(city=town.name, country=town.country)


def _towns_offering(treatment_ids: list[int]) -> dict[tuple[str, str], int]:
    rows = (SearchRow.objects.filter(treatment_id__in=treatment_ids).values_list("city", "country")
            .annotate(n=Count("venue_id", distinct=True)))
    return {(city, country): n for city, country, n in rows}


def _nearby(town: Town, treatment_ids: list[int]) -> list[tuple[Town, int]]:
    offering = _towns_offering(treatment_ids)
    candidates = [t for t in all_towns().values() if (t.name, t.country) in offering]
    return [(t, offering[(t.name, t.country)]) for t in nearest(town, candidates, NEARBY_TOWNS)]


def _offered_here(town: Town) -> dict[int, tuple[int, Decimal, Decimal]]:
    rows = _rows(town).values_list("treatment_id").annotate(n=Count("venue_id"), low=Min("price_min"),
                                                            high=Max("price_max"))
    return {tid: (n, low, high) for tid, n, low, high in rows}


def _related(treatment: Treatment, here: dict[int, tuple[int, Decimal, Decimal]]) -> list[tuple[Treatment, int]]:
    """Alternatives offered in the town first, then the same category's, most offered first."""
    alternatives = [t.id for t in treatment.alternatives.all()]
    candidates = Treatment.objects.filter(id__in=[tid for tid in here if tid != treatment.id])
    order = sorted(candidates, key=lambda t: (t.id not in alternatives, t.category_id != treatment.category_id,
                                              -here[t.id][0], t.name))
    return [(t, here[t.id][0]) for t in order[:RELATED]]


def _depends(cards: list[Card], treatment_ids: list[int]) -> list[str]:
    keys = [seo_cache.version_key("treatment", tid) for tid in treatment_ids]
    return [*keys, *(seo_cache.version_key("venue", card.id) for card in cards), TOWNS_KEY]


def treatment_landing(treatment: Treatment, town: Town, now: dt.datetime) -> Landing | None:
    """The treatment in the town, or None when no venue there offers it (the page is a 404)."""
    def build() -> tuple[Landing | None, list[str]]:
        here = _offered_here(town)
        if treatment.id not in here:
            return None, [seo_cache.version_key("treatment", treatment.id), TOWNS_KEY]
        count, low, high = here[treatment.id]
        currency = _rows(town).filter(treatment_id=treatment.id).values_list("currency", flat=True).first() or ""
        cards = ranked(treatment, town, now)
        page = Landing(town, count, low, high, currency, cards, _nearby(town, [treatment.id]),
                       _related(treatment, here), treatment=treatment)
        page.questions = faq.questions(treatment, town.shown_name, count, low, high, currency, town.country)
        return page, _depends(cards, [treatment.id])

    key = f"seo:landing:{get_language()}:t{treatment.id}:{town.slug}"
    return seo_cache.cached(key, build)


def _interleave(lists: list[list[Card]], limit: int) -> list[Card]:
    """Round-robin over ranked lists, each venue once: the best of each treatment first."""
    seen: set[str] = set()
    out: list[Card] = []
    for rank in range(max((len(x) for x in lists), default=0)):
        for cards in lists:
            if rank < len(cards) and cards[rank].slug not in seen and len(out) < limit:
                seen.add(cards[rank].slug)
                out.append(cards[rank])
    return out


def category_landing(category: Category, town: Town, now: dt.datetime) -> Landing | None:
    """The category's treatments in the town and the best venues for its most offered ones; None if none."""
    def build() -> tuple[Landing | None, list[str]]:
        treatments = {t.id: t for t in category.treatments.all()}
        here = _offered_here(town)
        offered = sorted(((treatments[tid], *here[tid]) for tid in here if tid in treatments),
                         key=lambda row: (-row[1], row[0].name))
        ids = [t.id for t, *_ in offered]
        if not offered:
            return None, [*(seo_cache.version_key("treatment", tid) for tid in treatments), TOWNS_KEY]
        rows = _rows(town).filter(treatment_id__in=ids)
        stats = rows.aggregate(n=Count("venue_id", distinct=True), low=Min("price_min"), high=Max("price_max"))
        currency = rows.values_list("currency", flat=True).first() or ""
        cards = _interleave([ranked(t, town, now) for t, *_ in offered[:3]], VENUES_SHOWN)
        page = Landing(town, stats["n"], stats["low"], stats["high"], currency, cards, _nearby(town, ids), [],
                       category=category, offered=offered)
        return page, _depends(cards, list(treatments))

    key = f"seo:landing:{get_language()}:c{category.id}:{town.slug}"
    return seo_cache.cached(key, build)

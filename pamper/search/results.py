"""A search from validated parameters to a page of results (the API and the page share it).

`find(params, now)` understands the what and the where, runs the index query
and loads what the page shows: each venue, its matching services and the
exact great-circle distance. Problems a person can fix (text that names no
treatment, a place we do not know, a stale cursor) come back as a
`SearchProblem`, never as an exception from deep inside.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pamper.lib.geo import haversine_km

from . import places, query, ranking, understand
from .geometry import chord2_for_km, region_of
from .models import PriceStat, SearchRow
from .params import SearchParams

MEDIAN_SECONDS = 300.0


@dataclass(frozen=True)
class SearchProblem:
    code: str  # treatment_not_found | place_not_found | invalid_cursor | invalid
    message: str
    suggestions: tuple[Any, ...] = ()
    near_misses: bool = True  # the suggestions resemble what was typed


@dataclass(frozen=True)
class ServiceResult:
    id: int
    name: str
    price: Decimal
    currency: str
    duration_minutes: int
    variant: str
    online_bookable: bool


@dataclass(frozen=True)
class VenueResult:
    id: int
    slug: str
    name: str
    kind: str
    address: str
    city: str
    postcode: str
    country: str
    lat: float
    lng: float
    rating: Decimal | None
    review_count: int
    timezone: str

    @property
    def url(self) -> str:
        return f"/venues/{self.slug}/"


@dataclass(frozen=True)
class Result:
    venue: VenueResult
    distance_km: float
    services: tuple[ServiceResult, ...]
    next_available: dt.datetime | None
    price_from: Decimal
    currency: str
    offers_variant: bool
    score: ranking.ScoreParts | None = None


@dataclass
class SearchOutcome:
    params: SearchParams
    understanding: understand.Understanding
    place: places.PlaceAnswer | None = None
    results: list[Result] = field(default_factory=list)
    next_cursor: str | None = None
    problem: SearchProblem | None = None

    @property
    def uses_miles(self) -> bool:
        return bool(self.place and self.place.place and self.place.place.uses_miles)


# ---------------------------------------------------------------------------
# The local median, cached briefly per process


class _MedianCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[tuple[int, str], tuple[float, float | None]] = {}

    def get(self, treatment_id: int, region: str) -> float | None:
        key, now = (treatment_id, region), time.monotonic()
        cached = self.values.get(key)
        if cached and now - cached[0] < MEDIAN_SECONDS:
            return cached[1]
        row = PriceStat.objects.filter(treatment_id=treatment_id, region=region).values_list("median", flat=True).first()
        value = float(row) if row is not None else None
        with self.lock:
            if len(self.values) > 50000:
                self.values.clear()
            self.values[key] = (now, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


medians = _MedianCache()


# ---------------------------------------------------------------------------


def _where(params: SearchParams) -> places.PlaceAnswer:
    if params.lat is not None and params.lng is not None:
        return places.at(round(params.lat, 7), round(params.lng, 7))  # 1 cm: plenty, and no subnormal floats
    return places.resolve(params.near or "", params.country.upper() if params.country else None)


def _filters(params: SearchParams) -> query.Filters:
    return query.Filters(
        price_min=params.price_min, price_max=params.price_max, min_rating=params.min_rating, kind=params.kind,
        variant=params.variant.strip().lower().replace(" ", "-") if params.variant else None,
        available_on=params.available_on, within_days=params.within_days, time_of_day=params.time_of_day,
    )


def find(params: SearchParams, now: dt.datetime) -> SearchOutcome:
    """Understand, query and load one page; `outcome.problem` says what to fix when nothing can be shown."""
    meant = understand.understand(params.q)
    outcome = SearchOutcome(params=params, understanding=meant)
    if meant.treatment is None:
        outcome.problem = SearchProblem(
            "treatment_not_found", f"We could not match '{params.q.strip()}' to a treatment.", meant.suggestions,
            near_misses=meant.near_misses,
        )
        return outcome
    outcome.place = where = _where(params)
    if where.place is None:
        outcome.problem = SearchProblem("place_not_found", f"We could not find a place called '{where.query}'.",
                                        where.suggestions)
        return outcome
    try:
        cursor = query.decode_cursor(params.cursor, params.sort) if params.cursor else None
    except query.CursorError as exc:
        outcome.problem = SearchProblem("invalid_cursor", str(exc))
        return outcome
    point = where.place
    median = medians.get(meant.treatment.id, region_of(point.country, point.lat, point.lng)) if point.country else None
    q = query.Query(
        treatment_id=meant.treatment.id, lat=point.lat, lng=point.lng, radius_km=params.radius_km, now=now,
        sort=params.sort, filters=_filters(params), prefer_variant=meant.variant, median=median, limit=params.limit,
    )
    hits, next_cursor = query.find_rows(q, cursor)
    outcome.results = load_results(q, hits, explain=params.explain, now=cursor.now if cursor else now,
                                   median=cursor.median if cursor else median)
    outcome.next_cursor = query.encode_cursor(next_cursor) if next_cursor else None
    return outcome


ROW_FIELDS = ("id", "price_min", "currency", "variants", "rating_score", "next_available")
VENUE_FIELDS = ("id", "slug", "name", "kind", "address", "city", "postcode", "country", "latitude", "longitude",
                "rating_avg", "review_count", "timezone")


def _services(venue_ids: list[int], treatment_id: int) -> dict[int, list[ServiceResult]]:
    from pamper.venues.models import Service, ServiceKind

    found: dict[int, list[ServiceResult]] = {}
    rows = (
        Service.objects.filter(venue_id__in=venue_ids, treatment_id=treatment_id, is_active=True,
                               kind=ServiceKind.TREATMENT)
        .order_by("price", "position", "id")
        .values_list("venue_id", "id", "name", "price", "currency", "duration_minutes", "variant", "online_bookable")
    )
    for venue_id, *rest in rows:
        found.setdefault(venue_id, []).append(ServiceResult(*rest))
    return found


def load_results(q: query.Query, hits: list[query.Hit], *, explain: bool, now: dt.datetime,
                 median: float | None) -> list[Result]:
    """The page's venues, services and exact distances, in the order of the hits (two queries)."""
    if not hits:
        return []
    rows = {
        r["id"]: r
        for r in SearchRow.objects.filter(id__in=[h.row_id for h in hits]).values(
            *ROW_FIELDS, **{f"v_{f}": _venue_ref(f) for f in VENUE_FIELDS}
        )
    }
    services = _services([h.venue_id for h in hits], q.treatment_id)
    chord2_max = chord2_for_km(q.radius_km)
    results = []
    for hit in hits:
        row = rows.get(hit.row_id)
        if row is None:
            continue  # re-indexed between the two queries
        results.append(_result(q, hit, row, services.get(hit.venue_id, []), explain, now, median, chord2_max))
    return results


def _venue_ref(name: str) -> Any:
    from django.db.models import F

    return F(f"venue__{name}")


def _result(q: query.Query, hit: query.Hit, row: dict, services: list[ServiceResult], explain: bool,
            now: dt.datetime, median: float | None, chord2_max: float) -> Result:
    venue = VenueResult(*(row[f"v_{f}"] for f in VENUE_FIELDS))
    wanted = q.prefer_variant or q.filters.variant
    offers = bool(wanted) and f"|{wanted}|" in row["variants"]
    score = None
    if explain:
        score = ranking.score_parts(
            rating_score=row["rating_score"], chord2=hit.chord2, chord2_max=chord2_max, price=float(row["price_min"]),
            median=median, next_available=row["next_available"], has_variant=bool(q.prefer_variant) and offers,
            now=now,
        )
    return Result(
        venue=venue,
        distance_km=haversine_km(q.lat, q.lng, venue.lat, venue.lng),
        services=tuple(services),
        next_available=row["next_available"],
        price_from=row["price_min"],
        currency=row["currency"],
        offers_variant=offers,
        score=score,
    )

"""A search from validated parameters to a page of results (the API and the page share it).

`find(params, now)` understands the what and the where, runs the index query
and loads what the page shows: each venue, its matching services and the
exact great-circle distance. Problems a person can fix (text that names no
treatment, a place we do not know, a stale cursor) come back as a
`SearchProblem`, never as an exception from deep inside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import router
from django.urls import get_script_prefix, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext

from pamper.lib.money import round_money
from pamper.lib.prepared import fetch_all

from . import intent, page_cursor, places, ranking, sql, understand
from .geometry import chord2_for_km, km_for_chord2, region_of
from .index import variant_key
from .meaning import language_now
from .models import PriceStat
from .params import SearchParams

MEDIAN_SECONDS = 300.0


@dataclass(frozen=True)
class SearchProblem:
    code: str  # treatment_not_found | place_needed | place_not_found | bad_cursor | invalid
    message: str
    suggestions: tuple[Any, ...] = ()
    near_misses: bool = True  # the suggestions resemble what was typed


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
    rating: float | None
    review_count: int
    timezone: str

    @property
    def url(self) -> str:
        """The venue page under the active language's prefix (reverse("venues:detail"), joined rather than
        reversed per row: a slug needs no quoting)."""
        prefix, suffix = venue_url_parts()
        return f"{prefix}{self.slug}{suffix}"


_VENUE_URL_PARTS: dict[tuple[str, str], tuple[str, str]] = {}


def venue_url_parts() -> tuple[str, str]:
    """What comes before and after the slug in a venue page's URL, in the active language and script prefix."""
    key = (get_language() or "", get_script_prefix())
    parts = _VENUE_URL_PARTS.get(key)
    if parts is None:
        marker = "slug-marker"
        url = reverse("venues:detail", args=[marker])
        cut = url.rindex(marker)
        if len(_VENUE_URL_PARTS) > 64:  # languages x script prefixes: a handful, unless something odd varies them
            _VENUE_URL_PARTS.clear()
        parts = _VENUE_URL_PARTS[key] = (url[:cut], url[cut + len(marker):])
    return parts


@dataclass(frozen=True)
class Result:
    venue: VenueResult
    distance_km: float
    services_json: str  # JSON list in the API's shape: id, name, price (string), currency, duration_minutes, ...
    next_available: dt.datetime | None
    price_from: Decimal
    currency: str
    offers_variant: bool
    score: ranking.ScoreParts | None = None
    next_checked: bool = False  # the bookings engine computed next_available (None then means: no free time)
    horizon_days: int | None = None  # ... over this many days

    @cached_property
    def services(self) -> list[dict[str, Any]]:
        return json.loads(self.services_json)


@dataclass
class SearchOutcome:
    params: SearchParams
    understanding: understand.Understanding
    place: places.PlaceAnswer | None = None
    results: list[Result] = field(default_factory=list)
    next_cursor: str | None = None
    problem: SearchProblem | None = None
    intent: intent.Intent | None = None  # how the text was read (one box split, place only ...)
    page: int = 1  # the page's number, counted from 1 (when the caller asked for a page by number or counted)
    total_rows: int | None = None  # index rows matching inside the radius (counted when asked): what pages hold
    total_venues: int | None = None  # ... and the venues among them

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
        # One fixed statement (prepared on PostgreSQL): at 200,000 venues a search's treatment and region are often
        # new to the process, and building this query with the ORM took a third of such a search's view.
        rows = fetch_all(_median_sql(), [treatment_id, region], router.db_for_read(PriceStat))
        value = float(rows[0][0]) if rows else None
        with self.lock:
            if len(self.values) > 50000:
                self.values.clear()
            self.values[key] = (now, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


medians = _MedianCache()


@functools.cache
def _median_sql() -> str:
    table = PriceStat._meta.db_table
    return f"SELECT median FROM {table} WHERE treatment_id = %s AND region = %s"  # noqa: S608


# ---------------------------------------------------------------------------


def _where(params: SearchParams, text: str | None = None, language: str | None = None) -> places.PlaceAnswer:
    if params.lat is not None and params.lng is not None:
        return places.at(round(params.lat, 7), round(params.lng, 7))  # 1 cm: plenty, and no subnormal floats
    prefer = places.country_for_language(language or language_now())
    return places.resolve(text or params.near or "", params.country.upper() if params.country else None, prefer)


def _filters(params: SearchParams) -> sql.Filters:
    return sql.Filters(
        price_min=params.price_min, price_max=params.price_max, min_rating=params.min_rating, kind=params.kind,
        variant=(variant_key(params.variant) or None) if params.variant else None,
        available_on=params.available_on, within_days=params.within_days, time_of_day=params.time_of_day,
    )


def find(params: SearchParams, now: dt.datetime, language: str | None = None, *, page_number: int = 1,
         count: bool = False) -> SearchOutcome:
    """Understand, query and load one page; `outcome.problem` says what to fix when nothing can be shown.

    The text may carry the place ("botox london"), a word for several treatments ("nails": all of them),
    or only a place (every treatment there); a treatment with no place is the problem `place_needed`.
    With no cursor, `page_number` > 1 walks the pages from the first (capped at MAX_PAGE_WALK); `count` fills
    total_rows and total_venues.
    """
    wanted = intent.read(params, language)
    meant = wanted.understanding
    outcome = SearchOutcome(params=params, understanding=meant, intent=wanted)
    if not meant.found and not wanted.everything:
        outcome.problem = SearchProblem(
            "treatment_not_found", gettext("We could not match '%(text)s' to a treatment.") % {"text": meant.query},
            meant.suggestions, near_misses=meant.near_misses,
        )
        return outcome
    if wanted.needs_place:
        outcome.problem = SearchProblem("place_needed",
                                        gettext("Say where to look: a town, a postcode or your location."))
        return outcome
    ids = wanted.treatment_ids
    if not ids:  # every treatment near a place, and none is listed (an install before its catalogue is loaded)
        outcome.problem = SearchProblem("treatment_not_found", gettext("No treatments are listed yet."), [])
        return outcome
    return _located(outcome, ids[0], meant.variant, now, treatment_ids=ids if len(ids) > 1 else (),
                    where_text=wanted.where, language=language, page_number=page_number, count=count)


def find_treatment(treatment_id: int, params: SearchParams, now: dt.datetime) -> SearchOutcome:
    """find() for a treatment known by id (a landing page): the same place, index query and ranking.

    `params.q` is only reported as the understanding; the treatment searched is `treatment_id`.
    """
    outcome = SearchOutcome(params=params, understanding=understand.understand(params.q))
    return _located(outcome, treatment_id, None, now)


def _located(outcome: SearchOutcome, treatment_id: int, variant: str | None, now: dt.datetime, *,
             treatment_ids: tuple[int, ...] = (), where_text: str | None = None,
             language: str | None = None, page_number: int = 1, count: bool = False) -> SearchOutcome:
    """The page of results for the treatment(s) around the place (or the problem with the place)."""
    params = outcome.params
    outcome.place = where = _where(params, where_text, language)
    if where.place is None:
        outcome.problem = SearchProblem(
            "place_not_found", gettext("We could not find a place called '%(place)s'.") % {"place": where.query},
            where.suggestions)
        return outcome
    point = where.place
    median = None
    if point.country and not treatment_ids:  # several treatments have no one local price to compare with
        median = medians.get(treatment_id, region_of(point.country, point.lat, point.lng))
    q = sql.Query(
        treatment_id=treatment_id, lat=point.lat, lng=point.lng, radius_km=params.radius_km, now=now,
        sort=params.sort, filters=_filters(params), prefer_variant=variant, median=median, limit=params.limit,
        treatment_ids=treatment_ids,
    )
    try:
        cursor = page_cursor.decode_cursor(params.cursor, q) if params.cursor else None
    except page_cursor.CursorError:  # why (malformed, tampered, another sort) is not for the reader: what to do is
        outcome.problem = SearchProblem("bad_cursor", gettext(
            "This page of results is out of date or was changed. Start again from the first page."))
        return outcome
    outcome.page = max(1, page_number)
    if cursor is None and outcome.page > 1:
        cursor, outcome.page = _walk_to(q, outcome.page)
    outcome.results, after = page(q, cursor, explain=params.explain)
    if count and cursor is None and after is None:  # one page holds them all: nothing left to count
        outcome.total_rows, outcome.total_venues = len(outcome.results), len({r.venue.id for r in outcome.results})
    elif count:
        outcome.total_rows, outcome.total_venues = sql.count_rows(q, cursor.now if cursor else q.now)
    if treatment_ids:
        outcome.results = merge_venues(outcome.results)
    outcome.next_cursor = page_cursor.encode_cursor(after, q) if after else None
    return outcome


MAX_PAGE_WALK = 50  # a page asked for by number is reached by walking the keyset: at most this many steps


def _walk_to(q: sql.Query, number: int) -> tuple[page_cursor.Cursor | None, int]:
    """The cursor that starts page `number` (None: the first) and that page's number: the last page when fewer
    exist, MAX_PAGE_WALK at most. Reads only the index (ids and keys), one query per page skipped."""
    cursor, reached = None, 1
    while reached < min(number, MAX_PAGE_WALK):
        _, after = sql.find_rows(q, cursor)
        if after is None:
            break
        cursor, reached = after, reached + 1
    return cursor, reached


def merge_venues(results: list[Result]) -> list[Result]:
    """One result per venue (several treatments searched at once): its best-placed row, with the services
    of its other rows on the page added, cheapest first."""
    first: dict[int, Result] = {}
    extra: dict[int, list[dict[str, Any]]] = {}
    for result in results:
        if result.venue.id in first:
            extra[result.venue.id] += result.services
        else:
            first[result.venue.id], extra[result.venue.id] = result, []
    merged = []
    for venue_id, result in first.items():
        if extra[venue_id]:
            services = sorted([*result.services, *extra[venue_id]], key=lambda s: Decimal(s["price"]))
            result = dataclasses.replace(result, services_json=json.dumps(services),
                                         price_from=min(result.price_from, Decimal(services[0]["price"])))
        merged.append(result)
    return merged


# One statement answers a page: the index query as a CTE, joined back to its
# rows for what a result shows (the rows carry the venue's name, address and
# services, so no other table is read).
PAGE_SQL = (
    "WITH hits AS ({hits}) "
    "SELECT h.id, h.venue_id, h.d, h.score, h.rating_score, h.price_min, r.currency, r.variants, r.next_available,"
    " r.venue_slug, r.venue_name, r.kind, r.address, r.city, r.postcode, r.country, r.latitude, r.longitude,"
    " r.venue_rating, r.venue_reviews, r.timezone, r.services, r.next_checked_at, r.next_horizon_days"
    " FROM hits h JOIN search_searchrow r ON r.id = h.id ORDER BY {order}"
)


def _money(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else round_money(str(value))


def _instant(value: Any) -> dt.datetime | None:
    """A datetime column as an aware UTC datetime (SQLite hands back text)."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    parsed = parse_datetime(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


def page(q: sql.Query, cursor: page_cursor.Cursor | None, *, explain: bool = False
         ) -> tuple[list[Result], page_cursor.Cursor | None]:
    """One page of results after `cursor` (the venues, their services, exact distances) and the next cursor."""
    hits_sql, params = sql.build_sql(q, cursor)
    rows = sql.run(PAGE_SQL.format(hits=hits_sql, order=sql.order_sql(q.sort, "h")), params)
    hits, after = sql.next_cursor(q, cursor, [sql.hit_of(q.sort, row) for row in rows])
    now, median = (cursor.now, cursor.median) if cursor else (q.now, q.median)
    chord2_max = chord2_for_km(q.radius_km)
    return [_result(q, hit, row, explain, now, median, chord2_max) for hit, row in zip(hits, rows, strict=False)], after


def _result(q: sql.Query, hit: sql.Hit, row: tuple, explain: bool, now: dt.datetime, median: float | None,
            chord2_max: float) -> Result:
    rating_score, price_min, currency, variants, next_available = row[4:9]
    slug, name, kind, address, city, postcode, country, lat, lng, rating, reviews, zone, services = row[9:22]
    checked_at, horizon_days = row[22:24]
    venue = VenueResult(hit.venue_id, slug, name, kind, address, city, postcode, country, lat, lng, rating, reviews,
                        zone)
    next_available = _instant(next_available)
    wanted = q.prefer_variant or q.filters.variant
    offers = bool(wanted) and f"|{wanted}|" in variants
    score = None
    if explain:
        score = ranking.score_parts(
            rating_score=rating_score, chord2=hit.chord2, chord2_max=chord2_max, price=float(price_min),
            median=median, next_available=next_available, has_variant=bool(q.prefer_variant) and offers, now=now,
        )
    return Result(
        venue=venue,
        # The great-circle distance, exactly, from the chord the query already computed.
        distance_km=km_for_chord2(hit.chord2),
        services_json=services,
        next_available=next_available,
        price_from=_money(price_min),
        currency=currency,
        offers_variant=offers,
        score=score,
        next_checked=checked_at is not None,
        horizon_days=horizon_days,
    )

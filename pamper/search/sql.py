"""The search query: portable SQL over the search rows, keyset pagination.

One statement answers a page. It reads the B-tree led by the treatment over
a bounding box (latitude range in the index, longitude checked on the index
entries), computes the squared chord to the search point with + - * only,
keeps the rows inside the radius and orders them in SQL.

Sorted by distance, the statement is a UNION ALL of rings (1, 4, 16, 64 km,
then the radius): each ring scans only its own small box, and both engines
stop as soon as the outer LIMIT is met, so a dense city answers from the
first ring and a sparse one widens until the page is full.

Pagination is keyset: the cursor carries the last row's sort keys and id
(plus the reference time and local median the recommended score used), and
the next page asks for rows strictly after them. A cursor is signed and bound
to the query it came from (pamper.lib.cursors): reused with another radius,
place, treatment, sort or filter it is refused, as its keys mean nothing
there. The same SQL text runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from pamper.lib.geo import bounding_box
from pamper.lib.prepared import fetch_all

from . import ranking
from .geometry import chord2_for_km, unit_vector
from .models import SearchRow
from .page_cursor import Cursor

SORTS = ("recommended", "distance", "rating", "price")
TIMES_OF_DAY = {"morning": (0, 12 * 60), "afternoon": (12 * 60, 17 * 60), "evening": (17 * 60, 24 * 60)}
RING_STEP = 4.0
FIRST_RING_KM = 1.0
TABLE = SearchRow._meta.db_table
DISTANCE_SQL = "(cx - %s) * (cx - %s) + (cy - %s) * (cy - %s) + (cz - %s) * (cz - %s)"
F8 = "CAST(%s AS DOUBLE PRECISION)"


@dataclass(frozen=True)
class Filters:
    """Optional filters. The availability ones read the first free slot only (see DESIGN notes in api.py)."""

    price_min: Decimal | None = None
    price_max: Decimal | None = None
    min_rating: float | None = None
    kind: str | None = None
    variant: str | None = None
    available_on: dt.date | None = None
    within_days: int | None = None
    time_of_day: str | None = None


@dataclass(frozen=True)
class Query:
    treatment_id: int
    lat: float
    lng: float
    radius_km: float
    now: dt.datetime
    sort: str = "recommended"
    filters: Filters = field(default_factory=Filters)
    prefer_variant: str | None = None
    median: float | None = None
    limit: int = 20
    # Several treatments at once (a group word such as "nails", or a place with no treatment): the rows of
    # any of them; treatment_id is then the first. Empty: treatment_id alone.
    treatment_ids: tuple[int, ...] = ()

    @property
    def treatments(self) -> tuple[int, ...]:
        return self.treatment_ids or (self.treatment_id,)


@dataclass(frozen=True)
class Hit:
    row_id: int
    venue_id: int
    chord2: float
    score: float | None
    keys: tuple[Any, ...]


# ---------------------------------------------------------------------------
# SQL


def _dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def ring_radii(radius_km: float) -> list[float]:
    """1, 4, 16, 64 km ... below the radius, then the radius itself."""
    radii, r = [], FIRST_RING_KM
    while r < radius_km:
        radii.append(r)
        r *= RING_STEP
    return [*radii, radius_km]


def _filter_sql(q: Query, now: dt.datetime) -> tuple[str, list[Any]]:
    f, parts, params = q.filters, [], []
    if f.price_min is not None:
        parts.append("price_max >= %s")
        params.append(f.price_min)
    if f.price_max is not None:
        parts.append("price_min <= %s")
        params.append(f.price_max)
    if f.min_rating is not None:
        parts.append("rating >= %s")
        params.append(float(f.min_rating))
    if f.kind:
        parts.append("kind = %s")
        params.append(f.kind)
    if f.variant:
        parts.append("variants LIKE %s")
        params.append(f"%|{f.variant}|%")
    if f.within_days is not None:
        parts.append("next_available <= %s")
        params.append(_dt(now + dt.timedelta(days=f.within_days)))
    if f.available_on is not None:
        parts.append("next_local_date <= %s")
        params.append(connection.ops.adapt_datefield_value(f.available_on))
    if f.time_of_day:
        lo, hi = TIMES_OF_DAY[f.time_of_day]
        parts.append("next_local_minute >= %s AND next_local_minute < %s")
        params += [lo, hi]
    return "".join(f" AND {p}" for p in parts), params


def _score_sql(q: Query, now: dt.datetime, median: float | None, chord2_max: float) -> tuple[str, list[Any]]:
    """ranking's formula in SQL, in the same order of operations as ScoreParts.total."""
    params: list[Any] = [ranking.W_RATING, ranking.W_DISTANCE, chord2_max, ranking.W_PRICE]
    if median is None:
        price = f"{F8}"
        params.append(0.5)
    else:
        price = f"{F8} / ({F8} + CAST(price_min AS DOUBLE PRECISION))"
        params += [median, median]
    steps = " ".join(f"WHEN next_available <= %s THEN {F8}" for _ in ranking.AVAILABILITY_STEPS)
    params += [ranking.W_AVAILABILITY, ranking.AVAILABILITY_UNKNOWN]
    for within, part in ranking.AVAILABILITY_STEPS:
        params += [_dt(now + within), part]
    params.append(ranking.AVAILABILITY_LATER)
    sql = (
        f"{F8} * ((rating_score - 1.0) / 4.0) + {F8} * (1.0 - d / {F8}) + {F8} * ({price})"
        f" + {F8} * (CASE WHEN next_available IS NULL THEN {F8} {steps} ELSE {F8} END)"
    )
    if q.prefer_variant:  # without one the term is + 0.0: left out, so the scan stays inside the index
        sql += f" + {F8} * (CASE WHEN variants LIKE %s THEN 1.0 ELSE 0.0 END)"
        params += [ranking.W_VARIANT, f"%|{q.prefer_variant}|%"]
    return sql, params


def _keys(sort: str) -> list[tuple[str, str]]:
    """(column of the candidate subquery, 'asc'|'desc') for each sort key, before the id."""
    return {
        "distance": [("d", "asc")],
        "rating": [("rating_score", "desc"), ("d", "asc")],
        "price": [("price_min", "asc"), ("d", "asc")],
        "recommended": [("score", "desc")],
    }[sort]


def _keyset_sql(sort: str, cursor: Cursor) -> tuple[str, list[Any]]:
    """(k1, k2, ..., id) strictly after the cursor's values, honouring each key's direction."""
    keys = _keys(sort)
    values = [Decimal(v) if sort == "price" and i == 0 else v for i, v in enumerate(cursor.keys)]
    sql, params = "id > %s", [cursor.last_id]
    for (column, direction), value in reversed(list(zip(keys, values, strict=True))):
        op = ">" if direction == "asc" else "<"
        sql = f"({column} {op} %s OR ({column} = %s AND {sql}))"
        params = [value, value, *params]
    return sql, params


def _arm_sql(
    q: Query, now: dt.datetime, median: float | None, cursor: Cursor | None, inner_km: float | None, outer_km: float
) -> tuple[str, list[Any]]:
    """One SELECT over the ring (inner_km, outer_km] (or the disc when inner_km is None)."""
    x, y, z = unit_vector(q.lat, q.lng)
    min_lat, max_lat, min_lng, max_lng = bounding_box(q.lat, q.lng, outer_km)
    filters, filter_params = _filter_sql(q, now)
    score, score_params = _score_sql(q, now, median,
                                     chord2_for_km(q.radius_km)) if q.sort == "recommended" else ("NULL", [])
    where, where_params = ["d <= %s"], [chord2_for_km(outer_km)]
    if inner_km is not None:
        where.append("d > %s")
        where_params.append(chord2_for_km(inner_km))
    if cursor is not None:
        keyset, keyset_params = _keyset_sql(q.sort, cursor)
        where.append(keyset)
        where_params += keyset_params
    order = ", ".join(f"{c} {d.upper()}" for c, d in _keys(q.sort))
    # Only the recommended score reads columns outside the index.
    extra = (", next_available" + (", variants" if q.prefer_variant else "")) if q.sort == "recommended" else ""
    # Only fixed SQL fragments are pasted in; every value is a parameter.
    sql = (
        "SELECT id, venue_id, d, score, rating_score, price_min FROM ("  # noqa: S608
        f"SELECT id, venue_id, d, rating_score, price_min, {score} AS score FROM ("
        f"SELECT id, venue_id, rating_score, price_min{extra}, {DISTANCE_SQL} AS d FROM {TABLE}"
        f" WHERE {_treatment_sql(q)} AND latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
        f"{filters}) AS c) AS s WHERE {' AND '.join(where)} ORDER BY {order}, id LIMIT %s"
    )
    params = [
        *score_params, x, x, y, y, z, z, *q.treatments, min_lat, max_lat, min_lng, max_lng,
        *filter_params, *where_params, q.limit + 1,
    ]
    return sql, params


def _treatment_sql(q: Query) -> str:
    """The index's leading column: one treatment, or an IN list (one index range per treatment)."""
    ids = q.treatments
    return "treatment_id = %s" if len(ids) == 1 else f"treatment_id IN ({', '.join(['%s'] * len(ids))})"


def build_sql(q: Query, cursor: Cursor | None = None) -> tuple[str, list[Any]]:
    """The one statement for a page: (sql, params). Public so the benchmark can run it raw."""
    now = cursor.now if cursor else q.now
    median = cursor.median if cursor else q.median
    if q.sort != "distance":
        return _arm_sql(q, now, median, cursor, None, q.radius_km)
    arms, inner = [], None
    after = cursor.keys[0] if cursor else None
    for outer in ring_radii(q.radius_km):
        if after is not None and chord2_for_km(outer) < after:
            inner = outer
            continue  # the whole ring lies before the cursor
        arms.append(_arm_sql(q, now, median, cursor, inner, outer))
        inner = outer
    if not arms:  # keys past the radius (no cursor made for this query has them): one ring, empty after the keyset
        arms.append(_arm_sql(q, now, median, cursor, None, q.radius_km))
    if len(arms) == 1:
        return arms[0]
    sql = " UNION ALL ".join(f"SELECT * FROM ({s}) AS r{i}" for i, (s, _) in enumerate(arms))  # noqa: S608
    return f"{sql} LIMIT %s", [p for _, params in arms for p in params] + [q.limit + 1]


def _hit(sort: str, row: tuple) -> Hit:
    row_id, venue_id, d, score, rating_score, price_min = row
    price_min = price_min if isinstance(price_min, Decimal) else Decimal(str(price_min))
    keys: tuple[Any, ...] = {
        "distance": (d,),
        "rating": (rating_score, d),
        "price": (price_min, d),
        "recommended": (score,),
    }[sort]
    return Hit(row_id, venue_id, d, score, keys)


def run(sql: str, params: list[Any]) -> list[tuple]:
    """Execute one of the search statements and fetch every row: a prepared statement on PostgreSQL (the text is
    fixed for a given sort and ring count, so planning is paid once per connection; pamper/lib/prepared.py)."""
    return fetch_all(sql, params)


def next_cursor(q: Query, cursor: Cursor | None, hits: list[Hit]) -> tuple[list[Hit], Cursor | None]:
    """The page (at most q.limit hits) and the cursor after it; None when nothing follows."""
    if len(hits) <= q.limit:
        return hits, None
    hits = hits[: q.limit]
    last = hits[-1]
    return hits, Cursor(q.sort, last.keys, last.row_id, cursor.now if cursor else q.now,
                        cursor.median if cursor else q.median)


def hit_of(sort: str, row: tuple) -> Hit:
    """A Hit from the first six columns of a result row (id, venue_id, d, score, rating_score, price_min)."""
    return _hit(sort, row[:6])


def order_sql(sort: str, alias: str) -> str:
    """The ORDER BY terms of a sort over a relation holding the hit columns."""
    return ", ".join(f"{alias}.{c} {d.upper()}" for c, d in _keys(sort)) + f", {alias}.id"


def find_rows(q: Query, cursor: Cursor | None = None) -> tuple[list[Hit], Cursor | None]:
    """The page of hits after `cursor` and the cursor of the next page (None on the last page)."""
    sql, params = build_sql(q, cursor)
    return next_cursor(q, cursor, [_hit(q.sort, row) for row in run(sql, params)])


def count_rows(q: Query, now: dt.datetime | None = None) -> tuple[int, int]:
    """(rows, venues) matching the query inside its radius with its filters: what the pages of it hold, for a
    result count and page numbers. One COUNT over the same index range as a page (no ordering, no keyset)."""
    x, y, z = unit_vector(q.lat, q.lng)
    min_lat, max_lat, min_lng, max_lng = bounding_box(q.lat, q.lng, q.radius_km)
    filters, filter_params = _filter_sql(q, now or q.now)
    sql = (
        "SELECT COUNT(*), COUNT(DISTINCT venue_id) FROM ("  # noqa: S608 - fixed fragments, values are parameters
        f"SELECT venue_id, {DISTANCE_SQL} AS d FROM {TABLE}"
        f" WHERE {_treatment_sql(q)} AND latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
        f"{filters}) AS c WHERE d <= %s"
    )
    params = [x, x, y, y, z, z, *q.treatments, min_lat, max_lat, min_lng, max_lng, *filter_params,
              chord2_for_km(q.radius_km)]
    (rows, venues), = run(sql, params)  # prepared on PostgreSQL, as the page's own statement: planned once
    return int(rows), int(venues)

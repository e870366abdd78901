"""The search's page cursors: the last row's sort keys and id (plus the reference time and local median the
recommended score used), signed and bound to the query they came from (pamper.lib.cursors), so one reused with
another radius, place, treatment, sort or filter is refused; and checked to hold only what a server could make."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from pamper.lib import cursors

if TYPE_CHECKING:
    from .sql import Query


class CursorError(ValueError):
    """The cursor is not one this server made for this query (malformed, tampered, or from other parameters)."""


@dataclass(frozen=True)
class Cursor:
    sort: str
    keys: tuple[Any, ...]
    last_id: int
    now: dt.datetime
    median: float | None


def _bound_to(q: Query) -> dict[str, Any]:
    """What a cursor is bound to: every parameter that chooses or orders the rows (not the page size or clock)."""
    treatment: Any = list(q.treatment_ids) if q.treatment_ids else q.treatment_id
    return {"treatment": treatment, "lat": q.lat, "lng": q.lng, "radius_km": q.radius_km, "sort": q.sort,
            "filters": dataclasses.asdict(q.filters), "variant": q.prefer_variant}


def encode_cursor(cursor: Cursor, q: Query) -> str:
    """The signed cursor for the page after `cursor` of query `q`."""
    keys = [str(k) if isinstance(k, Decimal) else k for k in cursor.keys]
    payload = {"s": cursor.sort, "k": keys, "i": cursor.last_id, "t": cursor.now.isoformat(), "m": cursor.median}
    return cursors.seal("search", payload, _bound_to(q))


def decode_cursor(text: str, q: Query) -> Cursor:
    """The cursor in `text`; CursorError unless this server made it for a query with q's parameters."""
    try:
        data = cursors.unseal("search", text, _bound_to(q))
        now = dt.datetime.fromisoformat(data["t"])
        cursor = Cursor(data["s"], tuple(data["k"]), data["i"], now, data["m"])
    except cursors.BadCursor as exc:
        raise CursorError(str(exc)) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise CursorError("The cursor is malformed.") from exc
    if cursor.sort != q.sort:
        raise CursorError("The cursor belongs to another sort order.")
    return _checked(cursor)


def _finite(value: Any, low: float = -1e12, high: float = 1e12) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value) and low <= value <= high
    except OverflowError:  # an int too large for a float
        return False


def _checked(cursor: Cursor) -> Cursor:
    """The cursor with its keys in their SQL types; CursorError for anything a server could not have made."""
    want = {"distance": 1, "rating": 2, "price": 2, "recommended": 1}.get(cursor.sort)
    ok = (
        want == len(cursor.keys)
        and isinstance(cursor.last_id, int) and not isinstance(cursor.last_id, bool) and 0 <= cursor.last_id < 2**62
        and cursor.now.tzinfo is not None and 2000 <= cursor.now.year <= 2200
        and (cursor.median is None or _finite(cursor.median, 0.005, 1e9))
        and all(_finite(k) for k in cursor.keys[1 if cursor.sort == "price" else 0 :])
    )
    if not ok:
        raise CursorError("The cursor is malformed.")
    if cursor.sort == "price":
        keys: tuple[Any, ...] = (cursor.keys[0], float(cursor.keys[1]))
    else:
        keys = tuple(float(k) for k in cursor.keys)
    if cursor.sort == "price":
        try:
            price = Decimal(cursor.keys[0]) if isinstance(cursor.keys[0], str) else None
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite() or abs(price) >= 10**9:
            raise CursorError("The cursor is malformed.")
    return Cursor(cursor.sort, keys, cursor.last_id, cursor.now.astimezone(dt.UTC), cursor.median)

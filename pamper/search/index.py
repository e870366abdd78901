"""Writes to the search index: rebuild it all, re-index one venue, set ratings.

Other parts call these:
- `rebuild_index()`      the seed and `rebuild_search_index`; bulk inserts
                         (COPY on PostgreSQL), keeps the bookings engine's
                         `next_available` values, then `settle_rows()`
                         (statistics, and the pages marked all-visible).
- `reindex_venue(id)`    venues.actions, inside its write transaction, after
                         any change to a venue or its services.
- `set_rating(id, avg, count, treatment_id=None)`  reviews.actions.
The bookings engine writes `next_available` itself with
`SearchRow.objects.filter(venue_id=..., treatment_id=...).update(next_available=...)`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from pamper.lib.money import money_str, round_money
from pamper.venues.models import Service, ServiceKind, Venue

from . import ranking
from .bulkload import batches, load_clustered, settle_rows
from .geometry import region_of, unit_vector
from .models import PriceStat, SearchRow
from .text import fold

# Bump when rows are built differently without a migration (run rebuild_search_index after such an upgrade).
ROW_FORMAT = 2
COLUMNS = (
    "venue_id", "treatment_id", "latitude", "longitude", "cx", "cy", "cz", "region", "country", "kind",
    "timezone", "price_min", "price_max", "currency", "duration_min", "variants", "rating", "review_count",
    "rating_score", "next_available", "next_local_date", "next_local_minute",
    "venue_name", "venue_slug", "address", "city", "postcode", "venue_rating", "venue_reviews", "services",
)
TREATMENT, REGION, PRICE_MIN = COLUMNS.index("treatment_id"), COLUMNS.index("region"), COLUMNS.index("price_min")


@dataclass(frozen=True)
class VenueFacts:
    id: int
    latitude: float
    longitude: float
    country: str
    kind: str
    timezone: str
    rating_avg: Decimal | None
    review_count: int
    name: str
    slug: str
    address: str
    city: str
    postcode: str


# (treatment_id, price, currency, duration_minutes, variant, id, name, position, online_bookable)
ServiceFacts = tuple[int, Decimal, str, int, str, int, str, int, bool]

VENUE_FIELDS = ("id", "latitude", "longitude", "country", "kind", "timezone", "rating_avg", "review_count",
                "name", "slug", "address", "city", "postcode")
SERVICE_FIELDS = ("treatment_id", "price", "currency", "duration_minutes", "variant", "id", "name", "position",
                  "online_bookable")


@functools.cache
def variant_key(text: str) -> str:
    """'Needle-free' / 'needle free' -> 'needle-free'."""
    return fold(text).replace(" ", "-")


def local_next(when: dt.datetime | None, zone: str) -> tuple[dt.date | None, int | None]:
    """The local date and minute of the day of `when` in `zone` (None, None for None)."""
    if when is None:
        return None, None
    local = when.astimezone(zoneinfo.ZoneInfo(zone))
    return local.date(), local.hour * 60 + local.minute


@functools.cache
def _price_text(price: Decimal, currency: str) -> str:
    return money_str(price, currency)


def services_json(services: list[ServiceFacts]) -> str:
    """The services a result lists, cheapest first, in the API's shape (price as a string)."""
    ordered = sorted(services, key=lambda s: (s[1], s[7], s[5]))
    return json.dumps(
        [{"id": s[5], "name": s[6], "price": _price_text(s[1], s[2]), "currency": s[2], "duration_minutes": s[3],
          "variant": s[4], "online_bookable": bool(s[8])} for s in ordered],
        separators=(",", ":"), ensure_ascii=False,
    )


def _venue_part(venue: VenueFacts) -> tuple:
    """What every row of the venue shares: (x, y, z, region, country, rating, rating_score)."""
    rating = float(venue.rating_avg) if venue.rating_avg is not None else None
    return (*unit_vector(venue.latitude, venue.longitude), region_of(venue.country, venue.latitude, venue.longitude),
            venue.country.upper(), rating, ranking.shrunk_rating(rating, venue.review_count))


def build_row(venue: VenueFacts, services: list[ServiceFacts], next_available: dt.datetime | None,
              shared: tuple | None = None) -> tuple:
    """One search row (values in COLUMNS order) for a venue's services of one treatment.

    It carries what a result shows (the venue's name and address, the
    services) so a page is read from these rows alone. `shared` is
    _venue_part(venue), computed once per venue by rows_for_venue.
    """
    x, y, z, region, country, rating, score = shared or _venue_part(venue)
    cheapest = min(services, key=lambda s: s[1])
    variants = sorted({variant_key(s[4]) for s in services if s[4].strip()})
    local_date, local_minute = local_next(next_available, venue.timezone)
    return (  # in COLUMNS order
        venue.id, services[0][0], venue.latitude, venue.longitude, x, y, z, region, country, venue.kind,
        venue.timezone, cheapest[1], max(s[1] for s in services), cheapest[2], min(s[3] for s in services),
        f"|{'|'.join(variants)}|" if variants else "", rating, venue.review_count, score, next_available,
        local_date, local_minute, venue.name, venue.slug, venue.address, venue.city, venue.postcode, rating,
        venue.review_count, services_json(services),
    )


def rows_for_venue(
    venue: VenueFacts, services: Iterable[ServiceFacts], kept: dict[int, dt.datetime | None]
) -> list[tuple]:
    """The venue's rows, one per treatment it offers; `kept` maps treatment -> next_available."""
    by_treatment: dict[int, list[ServiceFacts]] = defaultdict(list)
    for service in services:
        by_treatment[service[0]].append(service)
    shared = _venue_part(venue)
    return [build_row(venue, group, kept.get(tid), shared) for tid, group in sorted(by_treatment.items())]


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return round_money((ordered[mid - 1] + ordered[mid]) / 2)


# ---------------------------------------------------------------------------
# The whole index


def _published_venues() -> dict[int, VenueFacts]:
    rows = Venue.objects.filter(is_published=True).values_list(*VENUE_FIELDS)
    return {row[0]: VenueFacts(*row) for row in rows.iterator(chunk_size=20000)}


def _services_by_venue() -> Iterator[tuple[int, list[ServiceFacts]]]:
    """(venue_id, its active treatment services), venue by venue."""
    services = (
        Service.objects.filter(is_active=True, kind=ServiceKind.TREATMENT)
        .order_by("venue_id")
        .values_list("venue_id", *SERVICE_FIELDS)
    )
    current, group = None, []
    for venue_id, *facts in services.iterator(chunk_size=20000):
        if venue_id != current:
            if group:
                yield current, group
            current, group = venue_id, []
        group.append(tuple(facts))
    if group:
        yield current, group


def _kept_next_available() -> dict[int, dict[int, dt.datetime]]:
    """{venue_id: {treatment_id: next_available}} for the rows that have one."""
    kept: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    rows = SearchRow.objects.filter(next_available__isnull=False).values_list(
        "venue_id", "treatment_id", "next_available")
    for venue_id, treatment_id, when in rows.iterator(chunk_size=20000):
        kept[venue_id][treatment_id] = when
    return kept


def _all_rows(
    venues: dict[int, VenueFacts], kept: dict[int, dict[int, dt.datetime]], stats: dict[tuple[int, str], list[Decimal]],
    progress: Callable[[int], None],
) -> Iterator[tuple]:
    done = 0
    for done, (venue_id, services) in enumerate(_services_by_venue(), 1):
        if done % 1000 == 0:
            progress(1000)
        for row in rows_for_venue(venues[venue_id], services, kept.get(venue_id, {})) if venue_id in venues else ():
            stats[(row[TREATMENT], row[REGION])].append(row[PRICE_MIN])
            yield row
    progress(done % 1000)


def _write_price_stats(stats: dict[tuple[int, str], list[Decimal]]) -> None:
    PriceStat.objects.bulk_create(
        [PriceStat(treatment_id=t, region=r, median=median(v), count=len(v)) for (t, r), v in stats.items()],
        batch_size=2000,
    )


def rebuild_index(progress: Callable[[int], None] = lambda _: None, *, vacuum: bool = True) -> int:
    """Recreate every search row and local price median; returns the number of rows.

    One transaction: searches keep reading the old rows until it commits.
    The bookings engine's `next_available` values survive the rebuild.
    `progress(n)` is told as each n more venues' rows are built (for a progress bar).
    vacuum=False leaves settle_rows() to the caller (the seed writes next free slots first).
    """
    stats: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    with transaction.atomic():
        venues, kept = _published_venues(), _kept_next_available()
        SearchRow.objects.all().delete()
        PriceStat.objects.all().delete()
        count = load_clustered(_all_rows(venues, kept, stats, progress), COLUMNS)
        _write_price_stats(stats)
    settle_rows(vacuum=vacuum)
    return count


# ---------------------------------------------------------------------------
# One venue


def _venue_facts(venue_id: int) -> VenueFacts | None:
    row = Venue.objects.filter(pk=venue_id, is_published=True).values_list(*VENUE_FIELDS).first()
    return VenueFacts(*row) if row else None


def _venue_services(venue_id: int) -> list[ServiceFacts]:
    return list(
        Service.objects.filter(venue_id=venue_id, is_active=True,
                               kind=ServiceKind.TREATMENT).values_list(*SERVICE_FIELDS)
    )


def reindex_venue(venue_id: int) -> int:
    """Bring the venue's search rows in step with it and its services; returns the row count.

    Call it inside the transaction that changed the venue. An unpublished or
    deleted venue loses its rows. Each kept (venue, treatment) row keeps the
    bookings engine's `next_available`.
    """
    with transaction.atomic():
        existing = {
            t: (when, region)
            for t, when, region in SearchRow.objects.filter(venue_id=venue_id).values_list(
                "treatment_id", "next_available", "region"
            )
        }
        venue = _venue_facts(venue_id)
        rows = rows_for_venue(venue, _venue_services(venue_id),
                              {t: w for t, (w, _) in existing.items()}) if venue else []
        keep = {row[TREATMENT] for row in rows}
        SearchRow.objects.filter(venue_id=venue_id).exclude(treatment_id__in=keep).delete()
        if rows:
            SearchRow.objects.bulk_create(
                [SearchRow(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
                update_conflicts=True,
                unique_fields=["venue", "treatment"],
                update_fields=[c.removesuffix("_id") for c in COLUMNS[2:]],
            )
        touched = {(t, region) for t, (_, region) in existing.items()} | {(row[TREATMENT], row[REGION]) for row in rows}
        refresh_price_stats(touched)
    return len(rows)


def refresh_price_stats(pairs: Iterable[tuple[int, str]]) -> None:
    """Recompute the median price of each (treatment, region)."""
    for treatment_id, region in pairs:
        lat_floor = int(region.split(":")[1])
        prices = list(
            SearchRow.objects.filter(
                treatment_id=treatment_id, latitude__gte=lat_floor, latitude__lt=lat_floor + 1, region=region
            ).values_list("price_min", flat=True)
        )
        if prices:
            PriceStat.objects.update_or_create(
                treatment_id=treatment_id, region=region, defaults={"median": median(prices), "count": len(prices)}
            )
        else:
            PriceStat.objects.filter(treatment_id=treatment_id, region=region).delete()


def set_rating(venue_id: int, rating_avg: Decimal | float | None, review_count: int, *,
               treatment_id: int | None = None) -> int:
    """Store a venue's rating (or, with treatment_id, its rating for that treatment) on its rows.

    The rating sort, the minimum-rating filter and the recommended score read
    `rating`; results show the venue's own (`venue_rating`). A venue-wide call
    sets both on every row of the venue (so make per-treatment calls after
    it). Returns the number of rows changed.
    """
    rating = float(rating_avg) if rating_avg is not None else None
    ranked = {"rating": rating, "review_count": review_count,
              "rating_score": ranking.shrunk_rating(rating, review_count)}
    rows = SearchRow.objects.filter(venue_id=venue_id)
    if treatment_id is not None:
        return rows.filter(treatment_id=treatment_id).update(**ranked)
    return rows.update(venue_rating=rating, venue_reviews=review_count, **ranked)


def set_ratings(ratings: Iterable[tuple[int, Decimal | float | None, int]]) -> None:
    """set_rating for many venues at once: (venue_id, rating_avg, review_count) each (the demo data)."""
    table = SearchRow._meta.db_table
    sql = (f"UPDATE {table} SET rating = %s, review_count = %s, rating_score = %s, venue_rating = %s,"  # noqa: S608
           " venue_reviews = %s WHERE venue_id = %s")
    values = []
    for venue_id, avg, count in ratings:
        rating = float(avg) if avg is not None else None
        values.append((rating, count, ranking.shrunk_rating(rating, count), rating, count, venue_id))
    with transaction.atomic(), connection.cursor() as cursor:
        for batch in batches(values, 5000):
            cursor.executemany(sql, batch)

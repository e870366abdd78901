"""Writing the planned demo visits: plain-tuple bulk inserts of clients, bookings, items, reviews and ratings.

Ids are reserved up front (a sequence on PostgreSQL, above the maximum on
SQLite) so bookings, items and reviews can point at each other before any is
written; the aggregates are written as reviews.actions would leave them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, models

from pamper.bookings.models import Booking, BookingItem, Source, Status
from pamper.lib import clock
from pamper.reviews import ratings
from pamper.reviews.models import Kind, Review, TreatmentRating, VenueRating
from pamper.search.index import set_ratings
from pamper.venues.models import Client, Venue

from .review_plan import DemoReport, Draft


class Rows:
    """Plain-tuple inserts with executemany: building a model instance per row costs more than the insert."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        quote = connection.ops.quote_name
        # Columns other parts add later get their model default, so a new field does not break the seed.
        others = [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        names = [*columns, *(f.column for f in others)]
        table, cols = quote(model._meta.db_table), ", ".join(quote(c) for c in names)
        self.sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({cols}) FROM STDIN"

    def insert(self, rows: list[tuple]) -> None:
        """Write the rows: COPY on PostgreSQL (one round trip, not one per row), executemany on SQLite."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + self.defaults)
                return
            for i in range(0, len(rows), 5000):
                cursor.executemany(self.sql, [row + self.defaults for row in rows[i : i + 5000]])


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """count fresh primary keys: from the sequence on PostgreSQL; above the maximum on SQLite (whose write lock
    we hold)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def _sqlite_time(value: dt.datetime | None) -> object:
    """A datetime as Django stores it on SQLite: naive UTC text."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _same(value: dt.datetime | None) -> object:
    return value


def _when_adapter() -> Callable[[dt.datetime | None], object]:
    """The datetime adapter for this database, looked up once (the connection proxy is slow per call)."""
    return _sqlite_time if connection.vendor == "sqlite" else _same


def existing_clients(venue_ids: list[int]) -> dict[tuple[int, int], int]:
    """Client ids per (venue, user) of these venues' clients with a login."""
    found = {}
    for i in range(0, len(venue_ids), 20000):
        rows = Client.objects.filter(venue_id__in=venue_ids[i : i + 20000], user_id__isnull=False)
        found |= {(vid, uid): pk for pk, vid, uid in rows.values_list("pk", "venue_id", "user_id")}
    return found


def _clients(drafts: list[Draft], known: dict[tuple[int, int], int] | None) -> dict[tuple[int, int], int]:
    """Client ids per (venue, user), creating the missing client records. `known`: every client of the drafts'
    venues, read once up front by a bulk load (and kept up to date here); else they are read now."""
    pairs = {(d.venue_id, d.person.user_id): d.person for d in drafts}
    found = known if known is not None else {
        (vid, uid): pk
        for pk, vid, uid in Client.objects.filter(venue_id__in={v for v, _ in pairs}, user_id__in={u for _, u in pairs})
        .values_list("pk", "venue_id", "user_id")
    }
    missing = [(key, person) for key, person in pairs.items() if key not in found]
    ids = reserve_ids(Client, len(missing))
    created = _when_adapter()(clock.now())
    rows = []
    for pk, ((vid, uid), person) in zip(ids, missing, strict=True):
        found[(vid, uid)] = pk
        rows.append((pk, vid, uid, person.name, person.email, "", "", created))
    Rows(Client, ("id", "venue_id", "user_id", "name", "email", "phone", "notes", "created_at")).insert(rows)
    return found


BOOKING_COLUMNS = ("id", "venue_id", "client_id", "customer_id", "status", "source", "start", "end", "total_price",
                   "currency", "notes", "cancel_reason", "created_at", "updated_at")
ITEM_COLUMNS = ("booking_id", "venue_id", "service_id", "staff_id", "position", "start", "end", "busy_start",
                "busy_end", "price", "currency", "active")
REVIEW_COLUMNS = ("venue_id", "booking_id", "customer_id", "treatment_id", "staff_id", "kind", "sessions", "overall",
                  "ambience", "cleanliness", "staff_rating", "value", "text", "visited_at", "created_at", "reply_text",
                  "replied_at", "replied_by_id", "hidden_reason")


def write_visits(drafts: list[Draft], repliers: dict[int, int], now: dt.datetime, report: DemoReport,
                 update_search: bool, known_clients: dict[tuple[int, int], int] | None = None) -> None:
    """Write the visits and their reviews, and the reviewed venues' ratings. `known_clients`: see _clients (a
    bulk load also deletes the venues' old ratings once up front, with delete_ratings)."""
    clients = _clients(drafts, known_clients)
    ids = reserve_ids(Booking, len(drafts))
    when = _when_adapter()
    bookings, items, reviews = [], [], []
    for pk, d in zip(ids, drafts, strict=True):
        start, end, price = when(d.start), when(d.end), d.offer.price
        bookings.append((pk, d.venue_id, clients[(d.venue_id, d.person.user_id)], d.person.user_id,
                         Status.ATTENDED.value, Source.ONLINE.value, start, end, price, d.offer.currency, "", "",
                         when(d.booked_at), end))
        items.append((pk, d.venue_id, d.offer.service_id, d.staff_id, 0, start, end,
                      when(d.start - dt.timedelta(minutes=d.offer.before)),
                      when(d.end + dt.timedelta(minutes=d.offer.after)), price, d.offer.currency, True))
        if d.review is not None:
            reviews.append(_review_row(d, pk, repliers, when))
    Rows(Booking, BOOKING_COLUMNS).insert(bookings)
    Rows(BookingItem, ITEM_COLUMNS).insert(items)
    Rows(Review, REVIEW_COLUMNS).insert(reviews)
    report.reviews += len(reviews)
    report.replies += sum(1 for d in drafts if d.replied_at)
    report.texts.update(d.review.text for d in drafts if d.review and d.review.text)
    _write_aggregates([d for d in drafts if d.review is not None], now, update_search,
                      delete_old=known_clients is None)


def _review_row(d: Draft, booking_id: int, repliers: dict[int, int],
                when: Callable[[dt.datetime | None], object]) -> tuple:
    r = d.review
    assert r is not None
    return (d.venue_id, booking_id, d.person.user_id, d.offer.treatment_id, d.staff_id, Kind.VISIT.value, 1, r.overall,
            r.ambience, r.cleanliness, r.staff, r.value, r.text, when(d.end), when(d.reviewed_at), d.reply,
            when(d.replied_at), repliers.get(d.venue_id) if d.replied_at else None, "")


STAR_COLUMNS = ("count", "avg", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5", "updated_at")


def delete_ratings(venue_ids: list[int]) -> None:
    """Delete the venues' rating summaries (rewritten from their reviews)."""
    for i in range(0, len(venue_ids), 20000):
        VenueRating.objects.filter(venue_id__in=venue_ids[i : i + 20000]).delete()
        TreatmentRating.objects.filter(venue_id__in=venue_ids[i : i + 20000]).delete()


def _write_aggregates(drafts: list[Draft], now: dt.datetime, update_search: bool, *, delete_old: bool) -> None:
    """Venue and treatment ratings for the venues just reviewed, the Venue columns, the search rows."""
    by_venue: dict[int, list[Draft]] = defaultdict(list)
    for d in drafts:
        by_venue[d.venue_id].append(d)
    if delete_old:
        delete_ratings(list(by_venue))
    venue_rows, treatment_rows, venue_updates = [], [], []
    stamp = _when_adapter()(now)
    summaries = {vid: ratings.summarise(_rated(items)) for vid, items in by_venue.items()}
    for vid, items in by_venue.items():
        s = summaries[vid]
        aspects = tuple(s.aspects[a] for a in ("ambience", "cleanliness", "staff", "value"))
        venue_rows.append((vid, *_counts(s), stamp, s.recent_avg, *aspects))
        venue_updates.append((s.avg, s.count, vid))
        per_treatment: dict[int, list[Draft]] = defaultdict(list)
        for d in items:
            per_treatment[d.offer.treatment_id].append(d)
        for tid, rows in per_treatment.items():
            treatment_rows.append((vid, tid, *_counts(ratings.summarise(_rated(rows))), stamp))
    venue_columns = ("venue_id", *STAR_COLUMNS, "recent_avg", "ambience_avg", "cleanliness_avg", "staff_avg",
                     "value_avg")
    Rows(VenueRating, venue_columns).insert(venue_rows)
    Rows(TreatmentRating, ("venue_id", "treatment_id", *STAR_COLUMNS)).insert(treatment_rows)
    _update_venues(venue_updates)
    if update_search:
        _push_all([(vid, s.avg, s.count) for vid, s in summaries.items()])


def _update_venues(rows: list[tuple]) -> None:
    """Set Venue.rating_avg and review_count from (avg, count, id) rows; one statement per 1,000 on PostgreSQL."""
    table = connection.ops.quote_name(Venue._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = f"UPDATE {table} SET rating_avg = %s, review_count = %s WHERE id = %s"  # noqa: S608
            cursor.executemany(sql, rows)
            return
        for i in range(0, len(rows), 1000):
            batch = rows[i : i + 1000]
            values = ", ".join(["(%s::numeric, %s::integer, %s::bigint)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS v SET rating_avg = d.avg, review_count = d.n "  # noqa: S608
                f"FROM (VALUES {values}) AS d(avg, n, id) WHERE v.id = d.id",
                [x for row in batch for x in row],
            )


def _push_all(rows: list[tuple[int, object, int]]) -> None:
    """Copy ratings to the search rows in one call."""
    set_ratings(rows)


def _rated(drafts: list[Draft]) -> list[ratings.RatedVisit]:
    return [
        ratings.RatedVisit(r.overall, d.end, r.ambience, r.cleanliness, r.staff, r.value)
        for d in drafts if (r := d.review) is not None
    ]


def _counts(s: ratings.Summary) -> tuple:
    return (s.count, s.avg, *(s.stars[n] for n in range(1, 6)))

"""Writing the planned demo visits: plain-tuple bulk inserts of clients, bookings, items, reviews and ratings.

Ids are reserved up front (a sequence on PostgreSQL, above the maximum on
SQLite) so bookings, items and reviews can point at each other before any is
written; the aggregates are written as reviews.actions would leave them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import connection, models

from pamper.bookings.models import Booking, BookingItem, Source, Status
from pamper.lib import clock
from pamper.reviews.models import Kind, Review
from pamper.venues.models import Client

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

    @property
    def tail(self) -> str:
        """What ends each COPY text line after the given columns: the defaults and the newline."""
        return "".join("\t" + copy_text(v) for v in self.defaults) + "\n"

    def copy_lines(self, lines: list[str]) -> None:
        """Write COPY text lines (PostgreSQL): each holds the given columns, tab-separated, then `tail`.

        Building the line in Python with one f-string costs a fraction of what the driver's per-row adaptation
        costs (a couple of million rows per table at 200,000 venues)."""
        if not lines:
            return
        with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
            for i in range(0, len(lines), 20000):
                copy.write("".join(lines[i : i + 20000]))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: object) -> str:
    """A value as PostgreSQL's COPY text format writes it (None is \\N; text is escaped only when it needs it)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return esc(value)
    if isinstance(value, int | Decimal | dt.datetime | dt.date):
        return str(value)
    raise TypeError(f"copy_text: no text form for {type(value).__name__}")


def esc(text: str) -> str:
    """Text escaped for a COPY text line (the demo's texts almost never need it, so check first)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def reserve_ids(model: type[models.Model], count: int, *, locked: bool = False) -> Sequence[int]:
    """count fresh primary keys: from the sequence on PostgreSQL; above the maximum on SQLite (whose write lock
    we hold). `locked`: nobody else can insert into the table now (a bulk load altered it in this transaction),
    so PostgreSQL's sequence is moved on by the whole count in one step instead of one nextval per key."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if locked:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                               " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)", [table, table, count])
                last = cursor.fetchone()[0]
                return range(last - count + 1, last + 1)
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
    return range(top + 1, top + 1 + count)


def _sqlite_time(value: dt.datetime | None) -> object:
    """A datetime as Django stores it on SQLite: naive UTC text."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _same(value: dt.datetime | None) -> object:
    return value


def when_adapter() -> Callable[[dt.datetime | None], object]:
    """The datetime adapter for this database, looked up once (the connection proxy is slow per call)."""
    return _sqlite_time if connection.vendor == "sqlite" else _same


def existing_clients(venue_ids: list[int]) -> dict[tuple[int, int], int]:
    """Client ids per (venue, user) of these venues' clients with a login."""
    if connection.vendor == "postgresql":  # one array parameter: Django's IN lists cost seconds at 200,000
        table = connection.ops.quote_name(Client._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, venue_id, user_id FROM {table}"  # noqa: S608
                           " WHERE venue_id = ANY(%s) AND user_id IS NOT NULL", [venue_ids])
            return {(vid, uid): pk for pk, vid, uid in cursor.fetchall()}
    found = {}
    for i in range(0, len(venue_ids), 20000):
        rows = Client.objects.filter(venue_id__in=venue_ids[i : i + 20000], user_id__isnull=False)
        found |= {(vid, uid): pk for pk, vid, uid in rows.values_list("pk", "venue_id", "user_id")}
    return found


def _clients(drafts: list[Draft], known: dict[tuple[int, int], int] | None,
             first_id: int | None) -> dict[tuple[int, int], int]:
    """Client ids per (venue, user), creating the missing client records. `known`: every client of the drafts'
    venues, read once up front by a bulk load (and kept up to date here); else they are read now. `first_id`:
    the new records are numbered from it (ids reserved by the caller), else ids are reserved here."""
    pairs = {(d.venue_id, d.person.user_id): d.person for d in drafts}
    found = known if known is not None else {
        (vid, uid): pk
        for pk, vid, uid in Client.objects.filter(venue_id__in={v for v, _ in pairs}, user_id__in={u for _, u in pairs})
        .values_list("pk", "venue_id", "user_id")
    }
    missing = [(key, person) for key, person in pairs.items() if key not in found]
    ids = (reserve_ids(Client, len(missing), locked=known is not None) if first_id is None
           else range(first_id, first_id + len(missing)))
    table = Rows(Client, ("id", "venue_id", "user_id", "name", "email", "phone", "notes", "created_at"))
    created = when_adapter()(clock.now())
    if connection.vendor == "postgresql":
        tail, lines = f"\t\t\t{created}{table.tail}", []
        for pk, ((vid, uid), person) in zip(ids, missing, strict=True):
            found[(vid, uid)] = pk
            lines.append(f"{pk}\t{vid}\t{uid}\t{esc(person.name)}\t{esc(person.email)}{tail}")
        table.copy_lines(lines)
        return found
    rows = []
    for pk, ((vid, uid), person) in zip(ids, missing, strict=True):
        found[(vid, uid)] = pk
        rows.append((pk, vid, uid, person.name, person.email, "", "", created))
    table.insert(rows)
    return found


BOOKING_COLUMNS = ("id", "venue_id", "client_id", "customer_id", "status", "source", "start", "end", "total_price",
                   "currency", "notes", "cancel_reason", "created_at", "updated_at")
ITEM_COLUMNS = ("booking_id", "venue_id", "service_id", "staff_id", "position", "start", "end", "busy_start",
                "busy_end", "price", "currency", "active")
REVIEW_COLUMNS = ("venue_id", "booking_id", "customer_id", "treatment_id", "staff_id", "kind", "sessions", "overall",
                  "ambience", "cleanliness", "staff_rating", "value", "text", "visited_at", "created_at", "reply_text",
                  "replied_at", "replied_by_id", "hidden_reason")
NO_REPLY = "\t\\N\t\\N"  # reply text, replied at, replied by
MINUTES = [dt.timedelta(minutes=m) for m in range(241)]


def write_visits(drafts: list[Draft], repliers: dict[int, int], report: DemoReport,
                 known_clients: dict[tuple[int, int], int] | None = None,
                 first_ids: tuple[int, int] | None = None) -> list[Draft]:
    """Write the visits and their reviews; returns the drafts with a review (the caller sums up the ratings).

    `known_clients`: see _clients (a bulk load also deletes the venues' old ratings once up front). `first_ids`:
    (first booking id, first client id) when the caller reserved the ids (parallel loads number each chunk
    from its own block, so the ids do not depend on which worker finishes first); else they are reserved here.
    """
    booking_from, client_from = first_ids or (None, None)
    clients = _clients(drafts, known_clients, client_from)
    ids = (reserve_ids(Booking, len(drafts), locked=known_clients is not None) if booking_from is None
           else range(booking_from, booking_from + len(drafts)))
    if connection.vendor == "postgresql":
        _copy_visits(drafts, ids, clients, repliers)
    else:
        _insert_visits(drafts, ids, clients, repliers)
    reviewed = [d for d in drafts if d.review is not None]
    report.reviews += len(reviewed)
    report.replies += sum(1 for d in drafts if d.replied_at)
    report.reviewed.update(d.venue_id for d in reviewed)
    return reviewed


def _minutes(n: int) -> dt.timedelta:
    return MINUTES[n] if n < len(MINUTES) else dt.timedelta(minutes=n)


def _copy_visits(drafts: list[Draft], ids: Sequence[int], clients: dict[tuple[int, int], int],
                 repliers: dict[int, int]) -> None:
    """The bookings, items and reviews as COPY text lines, one f-string each.

    Each instant and price is turned into text once (a datetime's text costs about a microsecond, and a visit's
    end appears four times); the visit times recur across a chunk's venues, so they are looked up first."""
    booking, item = Rows(Booking, BOOKING_COLUMNS), Rows(BookingItem, ITEM_COLUMNS)
    review = Rows(Review, REVIEW_COLUMNS)
    booking_tail, item_tail, review_tail = booking.tail, item.tail, review.tail
    attended, online, visit = Status.ATTENDED.value, Source.ONLINE.value, Kind.VISIT.value
    bookings, items, reviews = [], [], []
    text: dict[object, str] = {}

    def txt(value: object) -> str:
        found = text.get(value)
        if found is None:
            found = text[value] = str(value)
        return found

    for pk, d in zip(ids, drafts, strict=True):
        offer, vid, uid = d.offer, d.venue_id, d.person.user_id
        start, end, price, currency = txt(d.start), txt(d.end), txt(offer.price), offer.currency
        bookings.append(f"{pk}\t{vid}\t{clients[(vid, uid)]}\t{uid}\t{attended}\t{online}\t{start}\t{end}\t{price}"
                        f"\t{currency}\t\t\t{txt(d.booked_at)}\t{end}{booking_tail}")
        busy_start, busy_end = txt(d.start - _minutes(offer.before)), txt(d.end + _minutes(offer.after))
        items.append(f"{pk}\t{vid}\t{offer.service_id}\t{d.staff_id}\t0\t{start}\t{end}\t{busy_start}\t{busy_end}"
                     f"\t{price}\t{currency}\tt{item_tail}")
        r = d.review
        if r is None:
            continue
        reply = NO_REPLY if d.replied_at is None else f"{esc(d.reply)}\t{d.replied_at}\t{_n(repliers.get(vid))}"
        reviews.append(f"{vid}\t{pk}\t{uid}\t{offer.treatment_id}\t{d.staff_id}\t{visit}\t1\t{r.overall}"
                       f"\t{_n(r.ambience)}\t{_n(r.cleanliness)}\t{_n(r.staff)}\t{_n(r.value)}\t{esc(r.text)}\t{end}"
                       f"\t{d.reviewed_at}\t{reply}\t{review_tail}")
    booking.copy_lines(bookings)
    item.copy_lines(items)
    review.copy_lines(reviews)


def _n(value: int | None) -> object:
    """A number or NULL in a COPY text line."""
    return "\\N" if value is None else value


def _insert_visits(drafts: list[Draft], ids: Sequence[int], clients: dict[tuple[int, int], int],
                   repliers: dict[int, int]) -> None:
    when = when_adapter()
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


def _review_row(d: Draft, booking_id: int, repliers: dict[int, int],
                when: Callable[[dt.datetime | None], object]) -> tuple:
    r = d.review
    assert r is not None
    return (d.venue_id, booking_id, d.person.user_id, d.offer.treatment_id, d.staff_id, Kind.VISIT.value, 1, r.overall,
            r.ambience, r.cleanliness, r.staff, r.value, r.text, when(d.end), when(d.reviewed_at), d.reply,
            when(d.replied_at), repliers.get(d.venue_id) if d.replied_at else None, "")

"""A bulk writer for the demo generator: plain tuples, batched executemany, ids assigned up front.

Building a model instance per row costs more than the insert itself; at
200,000 venues (about 13 million rows) that decides whether seeding takes one
minute or ten. So rows are tuples in a fixed column order (checked against the
models when the writer starts), ids of the rows that others point at are
assigned here from the current maximum, and PostgreSQL's sequences are moved
past them at the end. Run it inside one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from pamper.venues.models import Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue

StaffServices = Staff.services.through

# Column order of the tuples each table receives. "id" first where the writer assigns ids.
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Venue: ("id", "name", "slug", "kind", "description", "address", "city", "postcode", "country", "latitude",
            "longitude", "timezone", "currency", "phone", "email", "is_published", "slot_minutes",
            "min_notice_minutes", "horizon_days", "cancel_notice_hours", "auto_confirm", "reminder_lead_hours",
            "rating_avg", "review_count", "created_at"),
    Resource: ("id", "venue_id", "name", "kind"),
    Service: ("id", "venue_id", "treatment_id", "kind", "name", "description", "variant", "price", "currency",
              "duration_minutes", "buffer_before", "buffer_after", "resource_id", "online_bookable", "is_active",
              "position"),
    Staff: ("id", "venue_id", "user_id", "name", "title", "bio", "is_active", "position"),
    StaffServices: ("staff_id", "service_id"),
    Shift: ("staff_id", "weekday", "start", "end", "valid_from", "valid_until"),
    OpeningHours: ("venue_id", "weekday", "opens", "closes"),
    Closure: ("venue_id", "start_date", "end_date", "reason"),
    TimeOff: ("staff_id", "start", "end", "reason"),
}
WITH_IDS = (Venue, Resource, Service, Staff)


def check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    """Fail loudly when a model gains or loses a column the writer does not know about."""
    expected = {f.column for f in model._meta.concrete_fields} - ({"id"} if "id" not in columns else set())
    if set(columns) != expected:
        raise RuntimeError(f"{model.__name__}: writer columns {sorted(columns)} != model columns {sorted(expected)}")


def insert_sql(model: type[models.Model], columns: Sequence[str]) -> str:
    """INSERT for the DB-API cursor itself, so with the driver's own placeholder."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    mark = "?" if connection.vendor == "sqlite" else "%s"
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608


class Adapters:
    """Values as the database driver wants them, with the backend's adapters looked up once.

    Looking `connection.ops` up per value costs more than the insert (it goes
    through an async-safe local); minutes of the day are precomputed.
    """

    def __init__(self) -> None:
        ops = connection.ops
        self.times = [ops.adapt_timefield_value(dt.time(m // 60, m % 60)) for m in range(24 * 60)]
        self.date = ops.adapt_datefield_value
        self.datetime = ops.adapt_datetimefield_value
        self.decimal = ops.adapt_decimalfield_value


class BulkWriter:
    """Collects rows per table and writes them in batches, parents first."""

    def __init__(self, batch_rows: int = 50_000) -> None:
        for model, columns in COLUMNS.items():
            check_columns(model, columns)
        self.batch_rows = batch_rows
        self.rows: dict[type[models.Model], list[tuple]] = {model: [] for model in COLUMNS}
        self.sql = {model: insert_sql(model, columns) for model, columns in COLUMNS.items()}
        self.last_id = {model: model.objects.aggregate(m=Max("id"))["m"] or 0 for model in WITH_IDS}
        self.written = dict.fromkeys(COLUMNS, 0)
        self.pending = 0
        self.adapt = Adapters()

    def next_id(self, model: type[models.Model]) -> int:
        self.last_id[model] += 1
        return self.last_id[model]

    def add(self, model: type[models.Model], row: tuple) -> None:
        self.rows[model].append(row)
        self.pending += 1

    def maybe_flush(self) -> None:
        if self.pending >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        # The driver's cursor, not Django's wrapper: the wrapper copies every batch once more.
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            for model, rows in self.rows.items():
                if rows:
                    cursor.executemany(self.sql[model], rows)
                    self.written[model] += len(rows)
                    rows.clear()
        finally:
            cursor.close()
        self.pending = 0

    def finish(self) -> None:
        """Write what is left and move PostgreSQL's id sequences past the ids assigned here."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(WITH_IDS))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


@contextlib.contextmanager
def bulk_load_mode() -> Iterator[None]:
    """Foreign keys checked once at the end rather than per row, and a bigger SQLite page cache.

    The same pattern as Django's loaddata: constraint checks are switched off
    for the load (only possible outside a transaction, so it does nothing inside
    tests' transactions) and every written table is checked before the end;
    a broken reference raises IntegrityError and the transaction rolls back.
    """
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MiB for this connection
    try:
        with connection.constraint_checks_disabled():
            yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")


@contextlib.contextmanager
def sqlite_indexes_deferred() -> Iterator[None]:
    """On SQLite, drop the writer's tables' secondary indexes for the load and build them again after.

    Building an index once over sorted keys is much cheaper than updating it
    per row. Use inside the load's transaction: SQLite's DDL is transactional,
    so a failed load rolls the drop back too, and a unique index that cannot be
    rebuilt fails the load.
    """
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in COLUMNS]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",  # noqa: S608
            tables,
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)


def check_references() -> None:
    """IntegrityError when a written row points at a missing parent (after bulk_load_mode)."""
    connection.check_constraints(table_names=[model._meta.db_table for model in COLUMNS])

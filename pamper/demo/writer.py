"""A bulk writer for the demo generator: plain tuples, batched executemany, the repetitive rows expanded in SQL.

At 200,000 venues the demo has about 14 million rows, and a row passed from
Python costs several microseconds whatever the driver; building a model
instance per row costs more again. So:

- rows are tuples in a fixed column order, checked against the models when
  the writer starts; the ids others point at (venue, service, staff,
  resource) are counted by the generator from the maximum the writer found,
  and PostgreSQL's sequences are moved past them at the end;
- rows go to PostgreSQL with COPY, to SQLite with executemany; secondary
  indexes (and PostgreSQL's foreign keys) are dropped for the load and built
  once at the end (drop_for_load);
- weekly schedules repeat a lot (a few hundred distinct opening weeks, tens of
  thousands of shift patterns), so each distinct week is written once to a
  temporary table and opening hours and shifts are expanded by one
  INSERT ... SELECT each;
- who performs what follows from each staff member's desks (hair, nails,
  medical ...) and each service's desk (from the venue's kind and the
  treatment), so staff-service links are one INSERT ... SELECT too.

Run it inside one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from pamper.venues.models import Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue

StaffServices = Staff.services.through
Interval = tuple[int, int]

# Column order of the tuples each table receives: "id" first where the writer assigns
# ids; nullable columns that stay empty are left out.
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Venue: ("id", "name", "slug", "kind", "description", "address", "city", "postcode", "country", "latitude",
            "longitude", "timezone", "currency", "phone", "email", "is_published", "slot_minutes",
            "min_notice_minutes", "horizon_days", "cancel_notice_hours", "auto_confirm", "reminder_lead_hours",
            "require_two_factor", "review_count", "created_at", "language"),
    Resource: ("id", "venue_id", "name", "kind"),
    Service: ("id", "venue_id", "treatment_id", "kind", "name", "description", "variant", "price", "currency",
              "duration_minutes", "buffer_before", "buffer_after", "resource_id", "online_bookable", "is_active",
              "position"),
    Staff: ("id", "venue_id", "name", "title", "bio", "is_active", "position"),
    Closure: ("venue_id", "start_date", "end_date", "reason"),
    TimeOff: ("staff_id", "start", "end", "reason"),
}
WITH_IDS = (Venue, Resource, Service, Staff)
REAL_TABLES = [model._meta.db_table for model in (*COLUMNS, Shift, OpeningHours, StaffServices)]
# Temporary tables: name -> column definitions.
TEMP_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "pamper_seed_week": (("pattern_id", "bigint"), ("weekday", "integer"), ("start", "time"), ("end", "time")),
    "pamper_seed_venue_week": (("venue_id", "bigint"), ("pattern_id", "bigint")),
    "pamper_seed_staff_week": (("staff_id", "bigint"), ("pattern_id", "bigint")),
    "pamper_seed_staff_desk": (("staff_id", "bigint"), ("venue_id", "bigint"), ("desk", "varchar(20)")),
    "pamper_seed_desk_of": (("kind", "varchar(10)"), ("treatment_id", "bigint"), ("desk", "varchar(20)")),
}
TEMP_INDEXES = {
    "pamper_seed_week": ("pattern_id",),
    "pamper_seed_staff_desk": ("venue_id", "desk"),
    "pamper_seed_desk_of": ("kind", "treatment_id"),
}


def check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    """Fail loudly when a model gains a column the writer does not fill (unless it may stay empty)."""
    known = {f.column for f in model._meta.concrete_fields}
    unknown = set(columns) - known
    missing = {f.column for f in model._meta.concrete_fields if f.column not in columns and not f.null} - {"id"}
    if unknown or missing:
        raise RuntimeError(f"{model.__name__}: the demo writer does not know {sorted(unknown | missing)}")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """INSERT for the DB-API cursor itself, so with the driver's own placeholder."""
    mark = "?" if connection.vendor == "sqlite" else "%s"
    names = ", ".join(_q(c) for c in columns)
    return f"INSERT INTO {_q(table)} ({names}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608


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


# CROSS JOIN with the conditions in WHERE: SQLite then joins in the order written (driving
# from the small or freshly scanned table, through indexed lookups); PostgreSQL plans freely.
EXPANSIONS = (
    # Opening hours and shifts from the distinct weeks.
    """INSERT INTO venues_openinghours (venue_id, weekday, opens, closes)
        SELECT vw.venue_id, w.weekday, w.start, w."end"
        FROM pamper_seed_venue_week vw CROSS JOIN pamper_seed_week w WHERE w.pattern_id = vw.pattern_id""",
    """INSERT INTO venues_shift (staff_id, weekday, start, "end")
        SELECT sw.staff_id, w.weekday, w.start, w."end"
        FROM pamper_seed_staff_week sw CROSS JOIN pamper_seed_week w WHERE w.pattern_id = sw.pattern_id""",
    # Each staff member performs every new service of their venue that belongs to one of their desks.
    """INSERT INTO venues_staff_services (staff_id, service_id)
        SELECT sd.staff_id, s.id
        FROM venues_service s CROSS JOIN venues_venue v CROSS JOIN pamper_seed_desk_of d
        CROSS JOIN pamper_seed_staff_desk sd
        WHERE s.id > %s AND v.id = s.venue_id AND d.kind = v.kind AND d.treatment_id = s.treatment_id
          AND sd.venue_id = s.venue_id AND sd.desk = d.desk""",
)
EXPANDED = ("venues_openinghours", "venues_shift", "venues_staff_services")


def week_id(key: tuple) -> int:
    """A weekly schedule's id from its contents (64 bits of a hash): the same in every process that meets it, so
    forked generators number the weeks they draw alike without asking one another."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big", signed=True)


class RowSink:
    """Collects rows per table and writes them in batches (COPY on PostgreSQL, executemany on SQLite) on this
    process's connection. A generator in a forked worker writes into one of its own; the parent's BulkWriter is
    one too.

    weeks_written: the weekly schedules met are written here; else they are kept in new_weeks, for the parent to
    write each once (two workers meet the same weeks)."""

    def __init__(self, batch_rows: int = 50_000, *, weeks_written: bool = True) -> None:
        self.batch_rows, self.weeks_written = batch_rows, weeks_written
        self.sql = {model._meta.db_table: insert_sql(model._meta.db_table, cols) for model, cols in COLUMNS.items()}
        self.sql |= {name: insert_sql(name, [c for c, _ in cols]) for name, cols in TEMP_TABLES.items()}
        self.rows: dict[str, list[tuple]] = {table: [] for table in self.sql}
        self.written: dict[str, int] = dict.fromkeys(self.sql, 0)
        self.pending = 0
        self.adapt = Adapters()
        self.weeks: dict[tuple, int] = {}
        self.new_weeks: list[tuple[int, tuple]] = []
        self.copy = connection.vendor == "postgresql"
        self.copy_sql = {table: sql.replace("INSERT INTO", "COPY").split(" VALUES")[0] + " FROM STDIN"
                         for table, sql in self.sql.items()}

    def add(self, model: type[models.Model], row: tuple) -> None:
        self.rows[model._meta.db_table].append(row)
        self.pending += 1

    def add_temp(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)
        self.pending += 1

    def week(self, week: dict[int, list[Interval]]) -> int:
        """The id of this weekly schedule (minutes after local midnight per weekday, days in order), written once."""
        key = tuple((day, tuple(intervals)) for day, intervals in week.items())
        pattern = self.weeks.get(key)
        if pattern is None:
            pattern = self.weeks[key] = week_id(key)
            if self.weeks_written:
                self._week_rows(pattern, key)
            else:
                self.new_weeks.append((pattern, key))
        return pattern

    def adopt_weeks(self, weeks: Iterable[tuple[int, tuple]]) -> None:
        """Write the weeks another sink met (its new_weeks) that this one has not written yet."""
        for pattern, key in weeks:
            if key not in self.weeks:
                self.weeks[key] = pattern
                self._week_rows(pattern, key)

    def _week_rows(self, pattern: int, key: tuple) -> None:
        times = self.adapt.times
        for day, intervals in key:
            for start, end in intervals:
                self.add_temp("pamper_seed_week", (pattern, day, times[start], times[end]))

    def maybe_flush(self) -> None:
        if self.pending >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        # The driver's cursor, not Django's wrapper: the wrapper copies every batch once more.
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            for table, rows in self.rows.items():
                if not rows:
                    continue
                if self.copy:  # one stream per table: several times faster than INSERTs
                    with cursor.copy(self.copy_sql[table]) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.sql[table], rows)
                self.written[table] += len(rows)
                rows.clear()
        finally:
            cursor.close()
        self.pending = 0

    def counts(self) -> dict[str, int]:
        """The number of rows written per real table."""
        return {table: n for table, n in self.written.items() if not table.startswith("pamper_seed_")}


def drop_scratch_sql() -> list[str]:
    """The statements that drop the scratch (week and desk) tables, wherever the load stopped."""
    return [f"DROP TABLE IF EXISTS {_q(name)}" for name in TEMP_TABLES]


class BulkWriter(RowSink):
    """A RowSink that also prepares the load (scratch tables, indexes and keys dropped, the first free ids) and
    ends it (hours, shifts and links expanded, indexes and keys back, sequences moved on)."""

    def __init__(self, batch_rows: int = 50_000, *, shared_scratch: bool = False) -> None:
        """shared_scratch: the week and desk tables are plain (unlogged) tables other connections can read, for
        a load written by forked workers or finished side by side after it commits (venue_finish.py); else
        temporary tables."""
        super().__init__(batch_rows)
        self.shared_scratch = shared_scratch
        for model, columns in COLUMNS.items():
            check_columns(model, columns)
        check_columns(Shift, ("staff_id", "weekday", "start", "end"))
        check_columns(OpeningHours, ("venue_id", "weekday", "opens", "closes"))
        self.last_id = {model: model.objects.aggregate(m=Max("id"))["m"] or 0 for model in WITH_IDS}
        self.first_new_service = self.last_id[Service]
        self._create_temp_tables()
        self.restore = drop_for_load(REAL_TABLES, keep_unique=False)

    def _create_temp_tables(self) -> None:
        with connection.cursor() as cursor:
            for name, cols in TEMP_TABLES.items():
                cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")
                kind = "UNLOGGED" if self.shared_scratch else "TEMPORARY"
                cursor.execute(f"CREATE {kind} TABLE {_q(name)} ({', '.join(f'{_q(c)} {t}' for c, t in cols)})")
            for name, cols in TEMP_INDEXES.items():
                cursor.execute(f"CREATE INDEX {_q(name + '_idx')} ON {_q(name)} ({', '.join(_q(c) for c in cols)})")

    def desks(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """(venue kind, treatment id, desk) for every treatment the generator may offer."""
        for row in rows:
            self.add_temp("pamper_seed_desk_of", row)

    def finish(self) -> dict[str, int]:
        """Write what is left, expand hours, shifts and links, and move PostgreSQL's id sequences on.

        Returns the number of rows written per table.
        """
        self.flush()
        with connection.cursor() as cursor:
            for sql, table in zip(EXPANSIONS, EXPANDED, strict=True):
                cursor.execute(sql, [self.first_new_service] if "%s" in sql else None)
                self.written[table] = cursor.rowcount
            for name in TEMP_TABLES:
                cursor.execute(f"DROP TABLE {_q(name)}")
            for sql in self.restore:
                cursor.execute(sql)
        analyze(REAL_TABLES)  # the demo reviews read these tables next, chunk by chunk
        self.move_sequences()
        return self.counts()

    def move_sequences(self) -> None:
        """Move PostgreSQL's id sequences past the ids written."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(WITH_IDS)):
                cursor.execute(sql)


def drop_for_load(tables: Sequence[str], *, keep_unique: bool) -> list[str]:
    """Drop the tables' secondary indexes (and on PostgreSQL their foreign keys) for a bulk load; returns the
    statements that put them back, to run once the rows are in.

    Building an index once over all keys is much cheaper than updating it per
    row, and adding a foreign key checks every row in one join instead of one
    lookup per row at commit. Primary keys, unique constraints and exclusion
    constraints stay (so does every unique index with keep_unique, for the
    lookups made while loading); a unique index or foreign key that no longer
    holds fails the load. Call it inside the load's transaction: DDL is
    transactional on both engines, so a failed load rolls the drop back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still deferred from earlier in the transaction would forbid the ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [list(tables)],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [list(tables)],
            )
            keys = cursor.fetchall()
            for table, name, _ in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # for the index builds at the end
            return [sql for _, sql in indexes] + [f"ALTER TABLE {t} ADD CONSTRAINT {n} {sql}" for t, n, sql in keys]
        marks = ", ".join(["%s"] * len(tables))
        unique = " AND sql NOT LIKE 'CREATE UNIQUE%%'" if keep_unique else ""
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
            f" AND tbl_name IN ({marks}){unique}",
            list(tables),
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {_q(name)}")
    return [sql for _, sql in indexes]


def restore_after_load(statements: Sequence[str]) -> None:
    """Run what drop_for_load returned."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(tables: Sequence[str]) -> None:
    """Fresh planner statistics for tables just bulk-loaded, so the next steps' queries use their indexes
    (PostgreSQL only: SQLite plans with its indexes without statistics)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {_q(table)}")


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load. Without statistics PostgreSQL guessed thousands of shifts per venue and
    scanned the whole shift table for one venue's availability (260 ms instead of a few at 200,000 venues)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: seconds, not minutes, on a big file
            cursor.execute("ANALYZE")


@contextlib.contextmanager
def bulk_load_mode() -> Iterator[None]:
    """Foreign keys checked once at the end rather than per row, and a bigger SQLite page cache.

    The same pattern as Django's loaddata: constraint checks are switched off
    for the load (only possible outside a transaction, so it does nothing inside
    tests' transactions) and every written table is checked before the end;
    a broken reference raises IntegrityError and the transaction rolls back.
    """
    sqlite = connection.vendor == "sqlite"
    outside = not connection.in_atomic_block  # temp_store cannot change inside a transaction
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MiB for this connection
            if outside:
                cursor.execute("PRAGMA temp_store = MEMORY")  # the writer's temporary tables
    try:
        with connection.constraint_checks_disabled():
            yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")
                if outside:
                    cursor.execute("PRAGMA temp_store = DEFAULT")


def check_references() -> None:
    """IntegrityError when a written row points at a missing parent (after bulk_load_mode)."""
    connection.check_constraints(table_names=REAL_TABLES)

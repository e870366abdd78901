"""Bulk writes of the search rows: the rebuild's load, in index order, and the tidying after it.

- `load_clustered(rows, columns)`  rows (index.COLUMNS) through a scratch table into the search table in
                          (treatment, latitude, longitude) order, the indexes a rebuild fills built once after.
- `settle_rows()`         statistics, and on PostgreSQL the pages marked all-visible (VACUUM).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from .models import SearchRow


def batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_rows(rows: Iterable[tuple], table: str, columns: Sequence[str]) -> int:
    """Insert rows (values in `columns` order) in batches: COPY on PostgreSQL, executemany on SQLite.

    Batches let the services be read through a server-side cursor between
    COPY blocks (one connection cannot do both at once).
    """
    count, names = 0, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for batch in batches(rows, 50000):
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                count += len(batch)
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 (fixed names)
        adapt = _sqlite_adapters(columns)
        for batch in batches(rows, 5000):
            cursor.executemany(sql, [_sqlite_values(row, adapt) for row in batch])
            count += len(batch)
    return count


def _sqlite_adapters(columns: Sequence[str]) -> dict[int, Callable[[Any], Any]]:
    """What SQLite needs in place of a Decimal, datetime or date, by column position."""
    ops = connection.ops
    return {columns.index("price_min"): str, columns.index("price_max"): str,
            columns.index("next_available"): ops.adapt_datetimefield_value,
            columns.index("next_local_date"): ops.adapt_datefield_value}


def _sqlite_values(row: tuple, adapt: dict[int, Callable[[Any], Any]]) -> tuple:
    return tuple(adapt[i](v) if i in adapt and v is not None else v for i, v in enumerate(row))


BUILT_AFTER_LOAD = ("search_row_geo", "search_row_unchecked")  # every row of a rebuild is in both


@contextmanager
def _indexes_dropped() -> Iterator[None]:
    """Drop the search B-tree (and the sweep's index of rows never computed, which a rebuild fills) for a bulk
    load and build them once at the end (much faster)."""
    indexes = [i for i in SearchRow._meta.indexes if i.name in BUILT_AFTER_LOAD]
    editor = connection.schema_editor()
    editor.deferred_sql = []  # only set by __enter__, which SQLite refuses inside a transaction
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(str(index.remove_sql(SearchRow, editor)))
    yield
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(str(index.create_sql(SearchRow, editor)))


def load_clustered(rows: Iterable[tuple], columns: Sequence[str]) -> int:
    """Load the rows (values in `columns` order) through a scratch table so they land in the table in index order.

    Rows arrive venue by venue; a search reads one treatment in one area. Written
    in (treatment, latitude, longitude) order, the rows a search touches share
    a few table pages instead of hundreds, on both engines.
    """
    table, names = SearchRow._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE search_load AS SELECT {names} FROM {table} WHERE 1 = 0")  # noqa: S608
    try:
        count = _insert_rows(rows, "search_load", columns)
        with _indexes_dropped(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM search_load"  # noqa: S608 (fixed names)
                " ORDER BY treatment_id, latitude, longitude"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE search_load")
    return count


def settle_rows(*, vacuum: bool = True) -> bool:
    """Fresh planner statistics for the search rows after a bulk write and, on PostgreSQL outside a
    transaction, a VACUUM that marks their pages all-visible.

    A search is an index-only scan of search_row_geo, but PostgreSQL reads a
    row's table page as well wherever its page is not marked all-visible, and
    only VACUUM marks them: at 200,000 venues, right after a rebuild, a haircut
    search in London scanned 3,171 entries in 13.7 ms with a heap fetch each,
    and 2.3 ms once vacuumed. The table's own autovacuum settings (migration
    search 0007) keep the marks fresh while the next-free sweep updates rows.
    Returns whether it vacuumed (VACUUM cannot run inside a transaction).
    """
    table = SearchRow._meta.db_table
    vacuum = vacuum and connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")
    return vacuum

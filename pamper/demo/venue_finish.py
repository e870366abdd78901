"""The end of a venues bulk load done side by side: hours, shifts and staff links expanded, indexes built, foreign
keys validated and statistics taken from several connections at once, once the rows are committed.

Used by seed_demo on PostgreSQL outside a transaction (parallel.can_fork),
with a BulkWriter(shared_scratch=True) whose rows (and its workers') were
written and committed.
The three expansions and the other tables' index builds run together, then
the expanded tables' indexes, then the foreign keys, then ANALYZE. When a step
fails, the scratch tables are dropped and what can be put back is, before the
error is raised.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection

from .parallel import Side, add_keys_then_validate, put_back, run_sql, split_restore, table_of
from .writer import EXPANDED, EXPANSIONS, REAL_TABLES, BulkWriter, drop_scratch_sql


def _expansion(sql: str, params: list[int] | None) -> Callable[[], int]:
    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = '64MB'")  # hash joins over the whole tables
            cursor.execute(sql, params)
            return cursor.rowcount
    return run


def finish_side_by_side(writer: BulkWriter) -> dict[str, int]:
    """Expand, index, validate and analyze what the writer loaded; returns the number of rows per table."""
    indexes, keys = split_restore(writer.restore)
    drop_scratch = drop_scratch_sql()
    side = Side()
    try:
        expanded = {}
        for sql, table in zip(EXPANSIONS, EXPANDED, strict=True):
            expanded[table] = side.submit(_expansion(sql, [writer.first_new_service] if "%s" in sql else None))
        for sql in indexes:
            if table_of(sql) not in EXPANDED:
                side.submit(run_sql([sql]))
        side.wait()
        for table, future in expanded.items():
            writer.written[table] = future.result()
        side.submit(run_sql(drop_scratch))
        for sql in indexes:
            if table_of(sql) in EXPANDED:
                side.submit(run_sql([sql]))
        side.wait()
        add_keys_then_validate(side, keys)
        side.wait()
        for table in REAL_TABLES:  # the demo reviews read these tables next, chunk by chunk
            side.submit(run_sql([f"ANALYZE {connection.ops.quote_name(table)}"]))
        side.wait()
    except BaseException:
        side.close()
        put_back([*drop_scratch, *writer.restore])
        raise
    finally:
        side.close()
    return writer.counts()

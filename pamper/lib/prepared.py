"""Read statements run as PostgreSQL prepared statements: planned once per connection, not on every request.

The hot reads send fixed statements: the search page and its covers, and a booking's idempotency lookup,
services, open course and schedule. Through Django's cursor PostgreSQL parses and plans each every time (for
the search's distance and ranking expressions, the schedule's eight UNION branches and the services' joins that
was most of the statement's cost: 2.3 ms became 0.9 ms for the schedule, 1.4 ms 0.5 ms for the services); run
here a statement is prepared on the connection's first use and only bound and executed after.
Statements must have fixed text for a given shape (values are parameters, lists are one array parameter), or the
connection would keep one prepared statement per variant.
Set SEARCH_PREPARED_STATEMENTS = False in settings (for example behind a pooler that cannot keep prepared
statements) to use Django's ordinary cursor instead. SQLite always uses Django's cursor.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.conf import settings
from django.db import connections


def fetch_all(sql: str, params: list[Any], alias: str = "default") -> list[tuple]:
    """Execute one read statement on the `alias` connection (in its transaction) and fetch every row.

    Either way it goes through Django's cursor wrapper, so query logging, execute_wrapper() hooks (statement
    counts in tests and benchmarks) and Django's database errors see it like any other statement."""
    connection = connections[alias]
    if connection.vendor == "postgresql" and getattr(settings, "SEARCH_PREPARED_STATEMENTS", True):
        connection.ensure_connection()
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django leaves psycopg's automatic preparing off; its own client-side cursors never prepare, so
            # this only lets prepare=True below work.
            raw.prepare_threshold = 2**31 - 1
        with connection._prepare_cursor(_prepared_cursor()(raw)) as db:
            db.execute(sql, params)
            if connection.queries_logged and connection.queries_log[-1]["sql"] is None:
                # Django reads a logged statement's text off psycopg's last query, which a prepared one lacks.
                connection.queries_log[-1]["sql"] = connection.ops.compose_sql(sql, params)
            return db.fetchall()
    with connection.cursor() as db:
        db.execute(sql, params)
        return db.fetchall()


def json_value(value: Any) -> Any:
    """A JSON column as read by a statement run here: text on SQLite (and through psycopg as Django configures
    it), already decoded otherwise."""
    return json.loads(value) if isinstance(value, str) else value


@functools.cache
def _prepared_cursor() -> type:
    """A psycopg cursor class (server-side binding) whose execute() prepares the statement on its connection."""
    import psycopg  # noqa: PLC0415 - PostgreSQL only; importing it costs half a second where SQLite runs

    class PreparedCursor(psycopg.Cursor):
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(query, params, prepare=True)

    return PreparedCursor

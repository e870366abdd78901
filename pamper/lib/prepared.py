"""Read statements run as PostgreSQL prepared statements: planned once per connection, not on every request.

The search page and its covers each send one fixed statement per request. Through Django's cursor PostgreSQL
parses and plans it every time (for the search's distance and ranking expressions that was a large part of the
statement's cost); run here it is prepared on the connection's first use and only bound and executed after.
Statements must have fixed text for a given shape (values are parameters, lists are one array parameter), or the
connection would keep one prepared statement per variant.
Set SEARCH_PREPARED_STATEMENTS = False in settings (for example behind a pooler that cannot keep prepared
statements) to use Django's ordinary cursor instead. SQLite always uses Django's cursor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections


def fetch_all(sql: str, params: list[Any], alias: str = "default") -> list[tuple]:
    """Execute one read statement on the `alias` connection (in its transaction) and fetch every row."""
    connection = connections[alias]
    if connection.vendor == "postgresql" and getattr(settings, "SEARCH_PREPARED_STATEMENTS", True):
        import psycopg  # noqa: PLC0415 - PostgreSQL only; importing it costs half a second where SQLite runs

        connection.ensure_connection()
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django leaves psycopg's automatic preparing off; its own client-side cursors never prepare, so
            # this only lets prepare=True below work.
            raw.prepare_threshold = 2**31 - 1
        with connection.wrap_database_errors, psycopg.Cursor(raw) as db:
            db.execute(sql, params, prepare=True)
            return db.fetchall()
    with connection.cursor() as db:
        db.execute(sql, params)
        return db.fetchall()

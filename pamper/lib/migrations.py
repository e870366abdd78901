"""Migration operations that keep a large table writable while its schema changes.

`AddIndexConcurrently` builds the index with PostgreSQL's CREATE INDEX CONCURRENTLY (Django's own operation):
writes go on during the build, which on a table of millions of rows takes minutes, where a plain CREATE INDEX
would block every insert and update until it is done. On SQLite (one machine, no concurrent writers worth the
name) it is an ordinary AddIndex. The migration that uses it must say `atomic = False`: PostgreSQL refuses a
concurrent build inside a transaction.

Use it for every index added to a table that grows with traffic (bookings, booking items, idempotency records,
search rows, audit and access logs, task results).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently as _PostgresAddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(_PostgresAddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain AddIndex elsewhere."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)

"""`pamper move_to_postgresql URL`: copy a SQLite install's data into an empty PostgreSQL database.

Run it with the SQLite install's settings (its PAMPER_DATA_DIR and keys), the web and worker processes stopped:
it migrates the target, empties it, copies every table's rows in one transaction (health data is decrypted
and encrypted again with the same keys), and moves the id sequences past the copied ids. Then point
DATABASE_URL at the target and start. Uploaded files stay where the file storage keeps them.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, connections, transaction

TARGET = "move_target"
BATCH = 2000


def _models() -> list[Any]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


class Command(BaseCommand):
    help = "Copy this SQLite install's data into an empty PostgreSQL database (stop the site first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="postgresql://user@host:5432/pamper")

    def handle(self, *args: object, url: str, **options: object) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("move_to_postgresql copies from SQLite: run it with the SQLite install's settings.")
        both = {"default": dict(connections.settings["default"]), TARGET: dj_database_url.parse(url)}
        connections.settings[TARGET] = connections.configure_settings(both)[TARGET]
        target = connections[TARGET]
        if target.vendor != "postgresql":
            raise CommandError("The target must be a postgresql:// URL.")
        call_command("migrate", database=TARGET, interactive=False, verbosity=0)
        models = _models()
        tables = ", ".join(target.ops.quote_name(m._meta.db_table) for m in models)
        copied = 0
        with transaction.atomic(using=TARGET), target.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")  # rows the migrations made (content types ...)
            for model in models:
                copied += self._copy(model)
            for sql in target.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        self.stdout.write(f"Copied {copied} rows of {len(models)} tables to {target.settings_dict['NAME']}. "
                          "Point DATABASE_URL at it and start.")

    def _copy(self, model: Any) -> int:
        """Copy one table: values read through the fields (decrypted) and written through them (encrypted), as
        raw INSERTs so no field's pre_save (auto_now ...) touches them."""
        target = connections[TARGET]
        fields = model._meta.concrete_fields
        columns = ", ".join(target.ops.quote_name(f.column) for f in fields)
        sql = (f"INSERT INTO {target.ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608 - quoted names
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        rows = model._base_manager.using("default").order_by("pk").values_list(*[f.attname for f in fields])
        count = 0
        with target.cursor() as cursor:
            batch: list[list[Any]] = []
            for row in rows.iterator(chunk_size=BATCH):
                batch.append([f.get_db_prep_save(v, connection=target) for f, v in zip(fields, row, strict=True)])
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

"""Test data built once per test process and written back by each later test that needs it.

The shared world (pamper/tests/world.py) and the real catalogue are built by hundreds of tests: factories and
upserts, 60 to 200 statements and tens of milliseconds of Python each time. `replayed(key, build)` runs `build()`
the first time, notes which rows it added (every table read before and after), and returns its value. The next
time the tables it wrote hold what they held then (the same number of rows and the same highest id in each), the
same rows go back, ids included, as the database stored them (a COPY per table on PostgreSQL, one executemany
on SQLite: 15 and 4 ms for the whole catalogue, against 70 ms to load it), and the value comes back as a deep
copy: model instances equal to the built ones, fresh for the test to change.

Files the build stores under MEDIA_ROOT (uploaded photos) are copied back too. What a build does besides adding
rows and files (changing or deleting a row that was there, mail, caches) is not something a copy can repeat: a
build that changes or deletes a row is not recorded (the catalogue loaded after the world updates the world's
category: that state builds each time, while the catalogue alone still replays), and a build whose value
depends on more than its rows must not use this. Snapshots live in the process (one per pytest-xdist worker and
database), so the first test of a worker always builds.

Ids: a replayed row keeps the id it was built with. PostgreSQL's sequences only grow (no test restarts them), and
SQLite's AUTOINCREMENT moves past an id inserted by hand, so a row a test adds afterwards gets a higher id, as it
would have after a real build.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

T = TypeVar("T")
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField"}
MISSES_ALLOWED = 4  # builds watched per key (states not seen before); after that, a new state is only built


@dataclass
class Snapshot:
    rows: list[tuple[type[models.Model], bytes | list[tuple]]]
    files: dict[str, bytes]  # what the build stored under MEDIA_ROOT (uploaded photos), by relative path
    value: Any


_snapshots: dict[tuple[str, str, tuple], Snapshot] = {}
_written: dict[str, list[type[models.Model]]] = {}  # key: the models its first build added rows to
_misses: dict[str, int] = {}


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.parents]


def _state(model: type[models.Model]) -> dict[Any, tuple]:
    """{pk: every concrete column's value} of the model's table."""
    names = [f.attname for f in model._meta.concrete_fields]
    return {row[0]: row for row in model._base_manager.values_list(model._meta.pk.attname, *names)}


def _fingerprint(written: list[type[models.Model]]) -> tuple:
    """(rows, highest id) of each model's table, in one statement."""
    if not written:
        return ()
    parts, quote = [], connection.ops.quote_name
    for i, model in enumerate(written):
        table, pk = quote(model._meta.db_table), model._meta.pk
        top = f"MAX({quote(pk.column)})" if pk.get_internal_type() in INTEGER_KEYS else "NULL"
        parts.append(f"SELECT {i}, COUNT(*), {top} FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple((count, top) for _, count, top in sorted(cursor.fetchall()))


def _fingerprint_of(before: dict[type[models.Model], dict[Any, tuple]], written: list[type[models.Model]]) -> tuple:
    tops = []
    for model in written:
        keys = before[model]
        top = max(keys, default=None) if model._meta.pk.get_internal_type() in INTEGER_KEYS else None
        tops.append((len(keys), top))
    return tuple(tops)


def _columns(model: type[models.Model]) -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def _capture(model: type[models.Model], pks: list[Any]) -> bytes | list[tuple]:
    """The rows `pks` of the model's table as the database holds them, with no Python per value to write them back
    (a bulk_create of the catalogue spent 35 to 60 ms preparing and quoting its values): COPY's text on PostgreSQL,
    the stored values on SQLite (read through ifnull() so that no column type converter touches them)."""
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        query = f"COPY (SELECT {_columns(model)} FROM {table} WHERE {pk} = ANY(%s) ORDER BY {pk}) TO STDOUT"
        with connection.cursor() as cursor, cursor.cursor.copy(query, [pks]) as out:
            return b"".join(bytes(chunk) for chunk in out)
    raw = ", ".join(f"ifnull({connection.ops.quote_name(f.column)}, NULL)" for f in model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {raw} FROM {table} WHERE {pk} IN (SELECT value FROM json_each(%s)) ORDER BY {pk}",
                       [json.dumps([str(k) if not isinstance(k, int) else k for k in pks])])
        return cursor.fetchall()


def _restore(model: type[models.Model], rows: bytes | list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if isinstance(rows, bytes):
            with cursor.cursor.copy(f"COPY {table} ({_columns(model)}) FROM STDIN") as into:
                into.write(rows)
        else:
            marks = ", ".join(["%s"] * len(model._meta.concrete_fields))
            cursor.executemany(f"INSERT INTO {table} ({_columns(model)}) VALUES ({marks})", rows)


def _media() -> set[str]:
    media = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()} if media.is_dir() else set()


def _where() -> str:
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def replayed(key: str, build: Callable[[], T]) -> T:
    """build()'s value, its rows written to the test database: copied back when a build from the same state of
    the tables it writes was watched before, built otherwise (and watched, the first few times)."""
    written = _written.get(key)
    if written is not None:
        snapshot = _snapshots.get((key, _where(), _fingerprint(written)))
        if snapshot is not None:
            with transaction.atomic():
                for model, rows in snapshot.rows:
                    _restore(model, rows)
            media = Path(settings.MEDIA_ROOT)
            for name, data in snapshot.files.items():
                (media / name).parent.mkdir(parents=True, exist_ok=True)
                (media / name).write_bytes(data)
            return copy.deepcopy(snapshot.value)
    if _misses.get(key, 0) >= MISSES_ALLOWED:
        return build()  # enough states tried: build, and keep replaying the snapshots already taken
    _misses[key] = _misses.get(key, 0) + 1
    every = _models()
    before, files_before = {model: _state(model) for model in every}, _media()
    value = build()
    added: dict[type[models.Model], list[Any]] = {}
    for model in every:
        after = _state(model)
        old = before[model]
        if any(after.get(pk) != row for pk, row in old.items()):
            return value  # it changed or deleted a row that was there: a copy of rows cannot repeat that
        if len(after) > len(old):
            added[model] = [pk for pk in after if pk not in old]
    if written is not None and not set(added) <= set(written):
        return value  # it wrote to a table whose state the fingerprint does not hold
    written = _written.setdefault(key, list(added))
    rows = [(model, _capture(model, added[model])) for model in written if model in added]
    media = Path(settings.MEDIA_ROOT)
    files = {name: (media / name).read_bytes() for name in sorted(_media() - files_before)}
    _snapshots[(key, _where(), _fingerprint_of(before, written))] = Snapshot(rows, files, copy.deepcopy(value))
    return value

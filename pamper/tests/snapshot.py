"""Test data built once per test process and written back by each later test that needs it.

The shared world (pamper/tests/world.py) and the real catalogue are built by hundreds of tests: factories and
upserts, 60 to 200 statements and tens of milliseconds of Python each time. `replayed(key, build)` runs `build()`
the first time, notes which rows it added (every table read before and after), and returns its value. The next
time the tables it wrote hold what they held then (the same number of rows and the same highest id in each), the
same rows go back with one INSERT per table, ids included, and the value comes back as a deep copy: model
instances equal to the built ones, fresh for the test to change.

What a build does besides adding rows (changing or deleting a row that was there, signals reaching outside the
database) is not something a copy of rows can repeat: a build that changes or deletes a row is never replayed,
and a build whose value depends on more than its rows must not use this. Snapshots live in the process (one per
pytest-xdist worker and database), so the first test of a worker always builds.

Ids: a replayed row keeps the id it was built with. PostgreSQL's sequences only grow (no test restarts them), and
SQLite's AUTOINCREMENT moves past an id inserted by hand, so a row a test adds afterwards gets a higher id, as it
would have after a real build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection, models, transaction

T = TypeVar("T")
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField"}
MISSES_ALLOWED = 3  # builds from a state not seen before, per key, before replaying is given up for that key


@dataclass
class Snapshot:
    rows: list[tuple[type[models.Model], list[models.Model]]]
    value: Any


_snapshots: dict[tuple[str, str, tuple], Snapshot] = {}
_written: dict[str, list[type[models.Model]]] = {}  # key: the models its first build added rows to
_misses: dict[str, int] = {}
_never: set[str] = set()


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


def _where() -> str:
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def replayed(key: str, build: Callable[[], T]) -> T:
    """build()'s value, its rows written to the test database: built the first time (and whenever the tables it
    writes hold something else than they did then), copied back from the first build otherwise."""
    written = _written.get(key)
    if written is not None:
        snapshot = _snapshots.get((key, _where(), _fingerprint(written)))
        if snapshot is not None:
            with transaction.atomic():
                for model, rows in snapshot.rows:
                    model._base_manager.bulk_create(rows)
            return copy.deepcopy(snapshot.value)
    if key in _never:
        return build()
    _misses[key] = _misses.get(key, 0) + 1
    if _misses[key] > MISSES_ALLOWED:
        _never.add(key)
        return build()
    every = _models()
    before = {model: _state(model) for model in every}
    value = build()
    added: dict[type[models.Model], list[Any]] = {}
    for model in every:
        after = _state(model)
        old = before[model]
        if any(after.get(pk) != row for pk, row in old.items()):
            _never.add(key)  # it changed or deleted a row: a copy of rows cannot repeat that
            return value
        if len(after) > len(old):
            added[model] = [pk for pk in after if pk not in old]
    if written is not None and set(written) != set(added):
        _never.add(key)  # this build wrote to other tables than the first one did
        return value
    written = _written.setdefault(key, list(added))
    rows = [(model, list(model._base_manager.filter(pk__in=added[model]).order_by("pk"))) for model in written]
    _snapshots[(key, _where(), _fingerprint_of(before, written))] = Snapshot(rows, copy.deepcopy(value))
    return value

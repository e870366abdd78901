"""Delete every venue and everything that depends on it, in bulk: `pamper seed --replace`.

Django's delete collector loads every related row into memory before deleting;
with demo data (hundreds of thousands of venues, millions of services,
bookings and reviews) that takes hours. Here the set of tables to empty is
worked out from the model graph instead: every model that cascades from
Venue, directly or through other such models, loses all its rows; columns
that would be set to NULL are set to NULL; anything that protects a venue's
rows from deletion and is not itself deleted stops the reset. Foreign keys
are deferred in both supported databases, so the order of the statements does
not matter inside the transaction, and the commit still checks every
reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction

from pamper.venues.models import Venue


class ResetRefused(Exception):
    """A relation would stop the venues being deleted (or cannot be handled in bulk)."""


@dataclass
class Plan:
    emptied: list[type[models.Model]] = field(default_factory=list)
    nulled: list[tuple[type[models.Model], str]] = field(default_factory=list)  # (model, column)


def _relations(target: type[models.Model]) -> list[models.ForeignKey]:
    """Every foreign key (including auto-created many-to-many tables) that points at target."""
    return [
        f for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy
        for f in model._meta.local_fields if isinstance(f, models.ForeignKey) and f.remote_field.model is target
    ]


def plan_reset(root: type[models.Model] = Venue) -> Plan:
    """Which tables empty and which columns become NULL when every row of root goes.

    Only CASCADE spreads the deletion; a PROTECT or RESTRICT from a table that
    is not emptied anyway refuses the reset, as Django's delete would.
    """
    doomed: list[type[models.Model]] = [root]
    pending = [root]
    while pending:
        for fk in _relations(pending.pop()):
            model, rule = fk.model, fk.remote_field.on_delete
            if rule is models.CASCADE and model not in doomed:
                doomed.append(model)
                pending.append(model)
    plan = Plan(emptied=doomed)
    for target in doomed:
        for fk in _relations(target):
            if fk.model in doomed:
                continue
            rule = fk.remote_field.on_delete
            if rule is models.SET_NULL:
                plan.nulled.append((fk.model, fk.column))
            elif rule is not models.DO_NOTHING:
                raise ResetRefused(f"{fk.model.__name__}.{fk.name} stops {target.__name__} rows being deleted.")
    return plan


@transaction.atomic
def delete_all_venues() -> dict[str, int]:
    """Empty Venue and every table that depends on it; returns rows deleted per table."""
    plan = plan_reset()
    quote = connection.ops.quote_name
    deleted: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model, column in plan.nulled:
            table, col = quote(model._meta.db_table), quote(column)
            cursor.execute(f"UPDATE {table} SET {col} = NULL WHERE {col} IS NOT NULL")  # noqa: S608
        for model in reversed(plan.emptied):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
            deleted[model._meta.db_table] = cursor.rowcount
    return deleted

"""Deployment checks of the data itself (`pamper check --deploy`), next to Django's settings checks."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import OperationalError, connection

from pamper.accounts.models import User

from .demo import demo_accounts

SHOWN = 5


@register(Tags.security, deploy=True)
def no_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An Error while any demo account exists; nothing on a database not migrated yet (it has no account).

    A database that cannot be reached gives a Warning: the check cannot tell,
    and `check --deploy` is also run where no database is (a build step).
    """
    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []
        found = demo_accounts()
        count = found.count()
        emails = list(found.order_by("email").values_list("email", flat=True)[:SHOWN])
    except OperationalError as exc:
        return [Warning(f"Could not look for demo accounts: {exc}", id="ops.W001")]
    if not count:
        return []
    shown = ", ".join(emails) + (f" and {count - SHOWN} more" if count > SHOWN else "")
    return [Error(
        f"{count} demo account(s) exist: {shown}. Their password is published (pamper-demo) and one is a superuser.",
        hint="Delete them with `pamper remove_demo_accounts` (manage.py remove_demo_accounts). "
             "Demo data is loaded only by `make run` or `pamper seed --demo`, never on a production database.",
        id="ops.E001",
    )]

"""Deployment checks (`pamper check --deploy`, and at start-up through pamper/gunicorn_conf.py).

Two kinds, next to Django's own settings checks:
- the data itself: no demo account (ops.E001);
- a production install that is only half configured (ops.E002-E004). "Production" is any install on a
  database other than SQLite or behind HTTPS (PAMPER_HTTPS=1): there, every node must share its secrets,
  know its public address and share its rate-limit counters. Each message names the variable to set.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register, run_checks
from django.db import OperationalError, connection

from pamper.accounts.models import User

from .demo import demo_accounts

SHOWN = 5
IN_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}
HOW_TO_MAKE = {
    "SECRET_KEY": "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
    "PAMPER_HEALTH_KEY": "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
}
SET_INSTEAD = {"SECRET_KEY": "SECRET_KEY", "PAMPER_HEALTH_KEY": "PAMPER_HEALTH_KEYS"}


def is_production() -> bool:
    """True on a database other than SQLite or behind HTTPS: more than a trial on one machine."""
    return bool(settings.HTTPS) or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"


def is_local_host(host: str) -> bool:
    """True for localhost, *.localhost and loopback or unspecified addresses."""
    host = host.strip("[]").lower()
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


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


@register(Tags.security, deploy=True)
def secrets_from_the_environment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An Error per secret this machine generated into its data folder (production only).

    Two nodes that generate their own SECRET_KEY sign each other's sessions
    invalid; two health keys mean health data written through one node cannot
    be read through the other, and a restore without the key loses it all.
    """
    if not is_production():
        return []
    return [Error(
        f"{name} was generated into {settings.DATA_DIR} on this machine instead of coming from the environment: "
        "another node, or a restore elsewhere, would not share it.",
        hint=f"Set {SET_INSTEAD[name]} in the environment of every node (make one with `{HOW_TO_MAKE[name]}`)"
             + (" and keep a copy apart from the backups: health data cannot be read without it."
                if name == "PAMPER_HEALTH_KEY" else "."),
        id="ops.E002",
    ) for name in settings.GENERATED_SECRETS]


@register(Tags.security, deploy=True)
def public_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An Error when SITE_URL (the address in emails and calendar feeds) points at this machine (production)."""
    if not is_production():
        return []
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not is_local_host(host):
        return []
    return [Error(
        f"SITE_URL is {settings.SITE_URL!r}: links in emails and calendar feeds would point at the reader's own "
        "machine.",
        hint="Set SITE_URL to the public address people use, e.g. SITE_URL=https://pamper.example",
        id="ops.E003",
    )]


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An Error for an in-process cache behind more than one web process (production only).

    The default cache folder is shared by every process of one machine; more than one machine needs CACHE_URL
    (Redis), which no check can see from one node: docs/scaling.md says so.
    """
    if not is_production():
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in IN_PROCESS_CACHES and settings.WEB_PROCESSES > 1:
        return [Error(
            f"The cache is in-process ({backend.rsplit('.', 1)[-1]}) but {settings.WEB_PROCESSES} web processes "
            "serve the site: each would count its own rate limits and sign-in lockouts.",
            hint="Set CACHE_URL=redis://host:6379/1 (Redis), or unset it on one machine to use the shared cache "
                 "folder, or run one process (WEB_WORKERS=1).",
            id="ops.E004",
        )]
    return []


def startup_errors() -> list[CheckMessage]:
    """The serious deployment check messages (Django's and ours) a production process must not start with."""
    return [m for m in run_checks(include_deployment_checks=True) if m.is_serious() and not m.is_silenced()]

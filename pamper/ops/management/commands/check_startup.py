"""`pamper check_startup`: refuse to start a half-configured production install.

bin/run runs it first (before migrating), and pamper/gunicorn_conf.py runs it
when gunicorn starts, with WEB_WORKERS set to gunicorn's worker count. It
fails (exit status 1) on any serious `check --deploy` message: a generated
SECRET_KEY or health key, a SITE_URL on localhost, an in-process cache behind
several processes, a demo account. The demo (PAMPER_DEMO=1) is not production
and does not run it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pamper.ops.checks import startup_errors


class Command(BaseCommand):
    help = "Exit with an error when `check --deploy` finds an error: production refuses to start half-configured."

    def handle(self, *args: Any, **options: Any) -> None:
        errors = startup_errors()
        if not errors:
            return
        lines = [f"{m.id}: {m.msg}" + (f"\n    HINT: {m.hint}" if m.hint else "") for m in errors]
        raise CommandError("Pamper will not start half-configured:\n" + "\n".join(lines))

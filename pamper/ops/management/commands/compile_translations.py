"""`pamper compile_translations`: the .po catalogues to .mo, in pure Python (no gettext tools needed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pamper.lib.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile pamper/locale/*/LC_MESSAGES/django.po to .mo (stale ones only, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, stale or not.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_all(force=options["force"])
        self.stdout.write(f"Compiled {len(written)} catalogue(s).")

"""`pamper restore DIR`: put back the database, the files and the keys a `pamper backup DIR` wrote."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamper.ops.full_backup import restore_all


class Command(BaseCommand):
    help = ("Restore the database, the uploaded files and the health keys from a `pamper backup` folder. "
            "Stop the web and worker processes first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The folder `pamper backup` wrote")
        parser.add_argument("--keys", help="The health keys file, if kept apart (default: DIR/health-keys)")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args: object, source: str, keys: str | None, yes: bool, **options: object) -> None:
        if not yes and input(f"Replace the database and files with {source}? [y/N] ").strip().lower() != "y":
            raise CommandError("Cancelled.")
        try:
            done = restore_all(Path(source), Path(keys) if keys else None)
        except (FileNotFoundError, RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {done.database} and {done.files} files. {done.note}")

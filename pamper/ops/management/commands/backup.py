"""`pamper backup DIR`: the database, the uploaded files and the health keys in one folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamper.ops.full_backup import backup_all


class Command(BaseCommand):
    help = ("Back up the database (SQLite backup API or pg_dump), every uploaded file as stored and the health "
            "keys (DIR/health-keys, 0600: keep it apart) into DIR.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="Folder to write (created)")

    def handle(self, *args: object, target: str, **options: object) -> None:
        try:
            done = backup_all(Path(target))
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database in {done.database}; {done.files} files in {Path(target) / 'files'}; the "
                          f"health keys in {done.keys}: move that file somewhere apart from the backup.")

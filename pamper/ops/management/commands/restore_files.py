"""`pamper restore_files DIR`: write the files a `backup_files DIR` copied back into the file storage."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamper.ops.files_backup import restore_files


class Command(BaseCommand):
    help = "Write the files of a backup_files folder back into the file storage (set PAMPER_HEALTH_KEYS first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The folder backup_files wrote")

    def handle(self, *args: object, source: str, **options: object) -> None:
        try:
            count = restore_files(Path(source))
        except FileNotFoundError as exc:
            raise CommandError(f"No files folder in {source}: {exc}") from exc
        self.stdout.write(f"Restored {count} files.")

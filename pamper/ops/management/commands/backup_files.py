"""`pamper backup_files DIR`: the uploaded files and the health keys, beside `backup_db` / pg_dump."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from pamper.ops.files_backup import KEYS_FILE, backup_files


class Command(BaseCommand):
    help = "Copy every uploaded file (as stored) and the health keys (a 0600 file: keep it apart) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="Folder to write (created)")

    def handle(self, *args: object, target: str, **options: object) -> None:
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        count = backup_files(folder)
        self.stdout.write(f"Copied {count} files to {folder / 'files'}; the health keys are in "
                          f"{folder / KEYS_FILE}: move that file somewhere apart from the backups.")

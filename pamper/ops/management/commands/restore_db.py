
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from pamper.ops.backup import restore_sqlite


class Command(BaseCommand):
    help = "Restore the SQLite database from a backup made by backup_db. Stop the web and worker processes first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup file")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("restore_db restores SQLite databases; for PostgreSQL use pg_restore (see README).")
        target = Path(settings.DATABASES["default"]["NAME"])
        if not options["yes"] and input(f"Replace {target} with {options['backup']}? [y/N] ").strip().lower() != "y":
            raise CommandError("Cancelled.")
        connection.close()
        try:
            pages = restore_sqlite(Path(str(options["backup"])), target)
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {target} from {options['backup']} ({pages} pages).")

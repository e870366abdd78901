
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from pamper.lib.clock import now
from pamper.ops.backup import backup_sqlite


class Command(BaseCommand):
    help = "Take a consistent online backup of the SQLite database (PostgreSQL: use pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="?",
                            help="File to write (default: <data dir>/backups/pamper-<UTC time>.sqlite3)")

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("backup_db copies SQLite databases; for PostgreSQL use pg_dump -Fc (see README).")
        source = Path(settings.DATABASES["default"]["NAME"])
        target = Path(str(options["target"])) if options["target"] else (
            settings.DATA_DIR / "backups" / f"pamper-{now():%Y%m%dT%H%M%SZ}.sqlite3"
        )
        pages = backup_sqlite(source, target)
        self.stdout.write(f"Backed up {source} to {target} ({pages} pages).")

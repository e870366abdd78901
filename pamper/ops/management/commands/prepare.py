"""`pamper prepare`: everything a start does before it serves, in one process.

bin/run used to start Django five times in a row for this (check_startup, migrate, load_catalog, collectstatic,
build_place_index; six with the demo seed), each start a second and a half of imports before any work. The steps
and their order are the same: refuse a half-configured production install (unless --demo), apply the migrations,
load or update the treatment catalogue, load the demo into an empty database (--demo), gather the static files and
build the place index. Static files are gathered only when their sources changed since the last start
(pamper/ops/static.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pamper.ops.static import collect_if_changed


class Command(BaseCommand):
    help = ("Prepare a start: check the production settings (not with --demo), migrate, load the catalogue, load the "
            "demo into an empty database (--demo), collect static files when they changed, build the place index.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help="The demo: skip the production check and load the demo data if the database is empty.")
        parser.add_argument("--venues", type=int, default=3000, help="Demo venues to generate (default 3000).")

    def handle(self, *args: Any, demo: bool = False, venues: int = 3000, **options: Any) -> None:
        if not demo:
            call_command("check_startup")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_catalog", stdout=self.stdout)
        if demo:
            call_command("seed", demo=True, if_empty=True, venues=venues, stdout=self.stdout)
        collect_if_changed()
        call_command("build_place_index", stdout=self.stdout)

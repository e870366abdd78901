"""`pamper rebuild_search_index`: recreate every search row from the venues and their services."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from pamper.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (one row per venue and treatment offered) and the local price medians."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = rebuild_index()
        plural = "" if count == 1 else "s"
        self.stdout.write(f"Rebuilt {count:,} search row{plural} in {time.monotonic() - started:.1f} s.")

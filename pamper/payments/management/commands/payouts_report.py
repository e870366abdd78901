"""`pamper payouts_report --from 2026-05-01 --to 2026-06-01`: what Pamper owes each venue, as CSV on stdout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pamper.payments import ledger


def _day(text: str) -> dt.datetime:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC)
    except ValueError as exc:
        raise CommandError(f"Give dates as YYYY-MM-DD, not {text!r}.") from exc


class Command(BaseCommand):
    help = "What Pamper owes each venue for a period (UTC days, the end excluded), as CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["start"]), _day(options["end"])
        if end <= start:
            raise CommandError("--to must be after --from.")
        self.stdout.write(ledger.payouts_csv(start=start, end=end), ending="")

"""`pamper remove_demo_accounts`: delete the demo's published logins and demo reviewers (see pamper.ops.demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pamper.ops.demo import remove_demo_accounts


class Command(BaseCommand):
    help = "Delete every demo account (the pamper-demo logins and the demo reviewers): `check --deploy` needs none."

    def handle(self, *args: Any, **options: Any) -> None:
        count = remove_demo_accounts()
        self.stdout.write(f"Removed {count} demo accounts." if count else "No demo accounts: nothing to remove.")

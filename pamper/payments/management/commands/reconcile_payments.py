"""`pamper reconcile_payments`: compare the ledger with Stripe's objects; exit 1 when they differ."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pamper.payments import gateway, ledger


class Command(BaseCommand):
    help = "Compare the payments ledger with Stripe's PaymentIntents and refunds and report any difference."

    def handle(self, *args: Any, **options: Any) -> None:
        if not gateway.configured():
            self.stdout.write("Stripe is not configured: nothing to reconcile.")
            return
        differences = ledger.reconcile()
        for d in differences:
            self.stdout.write(f"booking {d['booking']}: {d['what']} {d['object']}: Stripe {d['stripe']}, "
                              f"ledger {d['ledger']} (minor units)")
        if differences:
            raise CommandError(f"{len(differences)} difference(s) between the ledger and Stripe.")
        self.stdout.write("The ledger agrees with Stripe.")

"""Payments' side of bookings' payment door (bookings/hooks.py `register_payment_gate`), connected in ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pamper.bookings.models import Booking

from . import actions, queries, rules


class StripeGate:
    def quote(self, *, venue: Any, services: Sequence[Any]) -> rules.Quote | None:
        return queries.quote_for(venue, services)

    def start(self, *, booking: Booking, now: dt.datetime) -> dict[str, Any]:
        return actions.start_booking_payment(booking=booking, now=now)

    def summaries(self, bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
        return queries.summaries(bookings)

    def describe(self, quote: rules.Quote, *, start: dt.datetime | None, tz: Any, grace: bool = False) -> list[str]:
        return queries.terms_lines(quote, start, tz, grace=grace)


gate = StripeGate()

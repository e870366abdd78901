"""The partner API's per-day payment totals count every ledger entry of the days asked, not the last 500 only.

The totals were summed in Python over the newest 500 entries the answer lists, so a busy venue's oldest day in the
answer (and every day before it) came out short. They are summed in SQL now, per local day and currency, over
every entry of the range (`from`/`to`, local dates; all of them when not given).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.accounts.models import Role
from pamper.bookings.tests import helpers as h
from pamper.payments.models import LedgerEntry
from pamper.tests.factories import member

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = dt.date(2026, 4, 20), dt.date(2026, 4, 21)  # London is on BST: UTC+1


def _entries(venue, day: dt.date, kind: str, amount: int, count: int, start_hour: int = 9):  # type: ignore[no-untyped-def]
    first = dt.datetime.combine(day, dt.time(start_hour), tzinfo=venue.tz)
    return [LedgerEntry(kind=kind, amount=amount, currency="GBP", stripe_id=f"{kind}_{day}_{n}", venue=venue,
                        created_at=first + dt.timedelta(seconds=20 * n)) for n in range(count)]


def _get(client, owner, venue, query: str = ""):  # type: ignore[no-untyped-def]
    answer = client.get(f"/api/v1/partner/venues/{venue.id}/payments{query}", **h.bearer(owner))
    assert answer.status_code == 200, answer.content
    return json.loads(answer.content)


def test_day_totals_cover_every_entry_of_the_range_past_the_500_listed(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue, owner = shop.venue, member(shop.venue, Role.OWNER)
    LedgerEntry.objects.bulk_create([
        *_entries(venue, MONDAY, "charge", 900, 400),
        *_entries(venue, MONDAY, "refund", -500, 20, start_hour=15),
        # 00:30 on Tuesday in London is 23:30 on Monday in UTC: the entry is Tuesday's.
        LedgerEntry(kind="charge", amount=700, currency="GBP", stripe_id="charge_after_midnight", venue=venue,
                    created_at=dt.datetime(2026, 4, 20, 23, 30, tzinfo=dt.UTC)),
        *_entries(venue, TUESDAY, "fee", 1000, 300, start_hour=10),
        *_entries(venue, TUESDAY, "refund", -250, 40, start_hour=16),
    ])
    expected = [{"date": "2026-04-20", "currency": "GBP", "taken": "3600.00", "refunded": "100.00"},
                {"date": "2026-04-21", "currency": "GBP", "taken": "3007.00", "refunded": "100.00"}]

    body = _get(client, owner, venue)
    assert len(body["entries"]) == 500  # the newest 500 are listed ...
    assert body["days"] == expected  # ... and the days count all 761

    monday = _get(client, owner, venue, "?from=2026-04-20&to=2026-04-20")
    assert monday["days"] == expected[:1]
    assert len(monday["entries"]) == 420
    assert _get(client, owner, venue, "?from=2026-04-21")["days"] == expected[1:]
    refused = client.get(f"/api/v1/partner/venues/{venue.id}/payments?from=2026-04-21&to=2026-04-20",
                         **h.bearer(owner))
    assert refused.status_code == 422

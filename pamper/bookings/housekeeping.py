"""Forgetting what no one needs any more: checkout holds that expired long ago.

An expired hold is a Booking in status "expired" whose items are already inactive (it occupies nothing). After
SPENT_AFTER it is only weight in the busiest table, so the hourly housekeeping (pamper.ops.housekeeping) deletes
it. A hold that something must keep (a payment ledger entry protects its booking) stays.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import ProtectedError

from .models import Booking, Status

SPENT_AFTER = dt.timedelta(days=30)
BATCH = 500


def purge_spent_holds(*, now: dt.datetime, keep: dt.timedelta = SPENT_AFTER, most: int = 20_000) -> int:
    """Delete holds that expired more than `keep` ago, in batches; returns how many bookings went."""
    deleted = 0
    kept: set[int] = set()
    while deleted < most:
        ids = list(Booking.objects.filter(status=Status.EXPIRED, hold_expires_at__lt=now - keep)
                   .exclude(id__in=kept).order_by("id").values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        try:
            with transaction.atomic():
                deleted += Booking.objects.filter(id__in=ids, status=Status.EXPIRED).delete()[1].get(
                    Booking._meta.label, 0)
        except ProtectedError:
            deleted += _one_by_one(ids, kept)
    return deleted


def _one_by_one(ids: list[int], kept: set[int]) -> int:
    """Delete each of ids that nothing protects; the others join `kept`."""
    gone = 0
    for booking_id in ids:
        try:
            with transaction.atomic():
                gone += Booking.objects.filter(id=booking_id, status=Status.EXPIRED).delete()[1].get(
                    Booking._meta.label, 0)
        except ProtectedError:
            kept.add(booking_id)
    return gone

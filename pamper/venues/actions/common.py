"""What every venues write shares: telling search, and the model's own checks as a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pamper.errors import invalid_fields

from .. import hooks
from ..models import Venue

# The venues whose change is told once, at the end of a `reindexed_once()` block (None: outside any).
_pending: ContextVar[set[int] | None] = ContextVar("pending_reindex", default=None)


def reindex(venue_id: int) -> None:
    """Tell the apps above (search refreshes the venue's rows) that what a search shows may have changed.

    Call it inside the write's transaction: the receivers run there and then (inside `reindexed_once()`, at the
    end of the block).
    """
    pending = _pending.get()
    if pending is not None:
        pending.add(venue_id)
        return
    hooks.venue_changed.send(sender=Venue, venue_id=venue_id)


@contextmanager
def reindexed_once() -> Iterator[None]:
    """Many writes to a venue as one change: a venue set up service by service (the demo clinic: 28 writes)
    is told to search once at the end, in the same transaction, instead of after every write."""
    if _pending.get() is not None:  # an outer block tells them
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            for venue_id in sorted(pending):
                hooks.venue_changed.send(sender=Venue, venue_id=venue_id)
    finally:
        if token is not None:
            _pending.reset(token)


def clean(row: Any) -> None:
    """The model's own checks (full_clean); what fails is Refusal 422 invalid with every field's messages."""
    try:
        row.full_clean()
    except ValidationError as exc:
        raise invalid_fields(exc.message_dict) from exc

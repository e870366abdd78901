"""How slots look in JSON: ISO 8601 in the venue's local time with its offset.

Kept free of `pamper.api` imports on purpose: `actions` re-exports
`slot_json` before it imports the API package, whose router mount imports
modules that import `slot_json` back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pamper.venues.models import Venue

from . import availability as av


def iso(minute: int, venue: Venue) -> str:
    """A UTC minute as ISO 8601 in the venue's zone, e.g. 2026-05-04T10:30:00+01:00."""
    return av.from_minute(minute).astimezone(venue.tz).isoformat()


def slot_json(slot: av.Slot, venue: Venue, fmt: Callable[[int], str] | None = None) -> dict[str, Any]:
    """A slot as the API shows it, with who does each step."""
    fmt = fmt or (lambda minute: iso(minute, venue))
    return {
        "start": fmt(slot.start),
        "end": fmt(slot.end),
        "staff_id": slot.staff_id,
        "staff_ids": list(slot.staff_ids),
        "items": [
            {"service_id": i.service_id, "staff_id": i.staff_id, "start": fmt(i.start), "end": fmt(i.end)}
            for i in slot.items
        ],
    }


def slots_json(slots: list[av.Slot], venue: Venue) -> list[dict[str, Any]]:
    """Many slots; each instant is formatted once (slot ends are the next slots' starts)."""
    memo: dict[int, str] = {}

    def fmt(minute: int) -> str:
        text = memo.get(minute)
        if text is None:
            text = memo[minute] = iso(minute, venue)
        return text

    return [slot_json(slot, venue, fmt) for slot in slots]

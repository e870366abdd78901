"""What search does when a lower layer's rows change: connected in SearchConfig.ready."""

from __future__ import annotations

from typing import Any

from . import index


def venue_changed(sender: Any, *, venue_id: int, **kwargs: Any) -> None:
    """venues.hooks.venue_changed: refresh the venue's search rows inside the write's transaction."""
    index.reindex_venue(venue_id)

"""What gallery does when other apps write: a venue write (publishing, unpublishing) forgets its kept cover."""

from __future__ import annotations

from .queries import forget_covers


def venue_changed(sender: object, *, venue_id: int, **kwargs: object) -> None:
    """venues.hooks.venue_changed: the venue's kept cover is read again (it is shown only while published)."""
    forget_covers([venue_id])

"""Reads: a venue's cover and gallery, covers for a page of venues (one query), staff pictures."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Photo, Role


def covers(venue_ids: Iterable[int]) -> dict[int, Photo]:
    """{venue id: its cover} for the published venues among `venue_ids` that have one (one query)."""
    ids = {int(v) for v in venue_ids if v}
    if not ids:
        return {}
    return {p.venue_id: p for p in Photo.objects.shown().filter(venue_id__in=ids, role=Role.COVER)}


def gallery(venue_id: int) -> list[Photo]:
    """The cover then the gallery photos, in the owner's order (published venues only)."""
    return list(Photo.objects.shown().filter(venue_id=venue_id, role__in=[Role.COVER, Role.GALLERY]))


def staff_pictures(venue_id: int) -> dict[int, Photo]:
    """{staff id: picture} at a published venue."""
    return {p.staff_id: p for p in Photo.objects.shown().filter(venue_id=venue_id, role=Role.STAFF)}  # type: ignore[misc]

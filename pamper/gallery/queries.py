"""Reads: a venue's cover and gallery, covers for a page of venues (one query), staff pictures.

Pages read these on every view (six covers on a page of results, a venue's gallery and team), so they are one
plain SQL statement each, the same on SQLite and PostgreSQL: building the ORM query cost more than running it.
The photos come back with what a page shows (`picture` in gallery_tags); any other field loads when read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connections, router

from pamper.lib.prepared import fetch_all
from pamper.venues.models import Venue

from .models import Photo, Role

# What a page shows of a photo; the rest (original, generated, created_at) is deferred.
_FIELDS = ("id", "venue_id", "staff_id", "role", "position", "alt_text", "width", "height", "renditions")


def _shown(where: str, params: list[Any]) -> list[Photo]:
    """Photos of published venues matching `where` (on `p`, the photo), in display order (Photo.objects.shown())."""
    columns = ", ".join(f"p.{name}" for name in _FIELDS)
    # Names from the models and `where` from this module; every value is a parameter.
    sql = (f"SELECT {columns} FROM {Photo._meta.db_table} p JOIN {Venue._meta.db_table} v "  # noqa: S608
           f"ON v.id = p.venue_id WHERE v.is_published AND {where} ORDER BY p.role, p.position, p.id")
    db = router.db_for_read(Photo)
    photos = []
    for row in fetch_all(sql, params, db):
        values = list(row)
        if isinstance(values[-1], str):  # renditions: JSON text (SQLite, and psycopg as Django configures it)
            values[-1] = json.loads(values[-1])
        photos.append(Photo.from_db(db, _FIELDS, values))
    return photos


def covers(venue_ids: Iterable[int]) -> dict[int, Photo]:
    """{venue id: its cover} for the published venues among `venue_ids` that have one (one query)."""
    ids = sorted({int(v) for v in venue_ids if v})
    if not ids:
        return {}
    if connections[router.db_for_read(Photo)].vendor == "postgresql":  # one statement text whatever the count
        return {p.venue_id: p for p in _shown("p.role = %s AND p.venue_id = ANY(%s)", [Role.COVER.value, ids])}
    marks = ", ".join(["%s"] * len(ids))
    return {p.venue_id: p for p in _shown(f"p.role = %s AND p.venue_id IN ({marks})", [Role.COVER.value, *ids])}


def gallery(venue_id: int) -> list[Photo]:
    """The cover then the gallery photos, in the owner's order (published venues only)."""
    return _shown("p.venue_id = %s AND p.role IN (%s, %s)", [venue_id, Role.COVER.value, Role.GALLERY.value])


def staff_pictures(venue_id: int) -> dict[int, Photo]:
    """{staff id: picture} at a published venue."""
    return {p.staff_id: p for p in _shown("p.venue_id = %s AND p.role = %s", [venue_id, Role.STAFF.value])}  # type: ignore[misc]


def venue_photos(venue_id: int) -> tuple[list[Photo], dict[int, Photo]]:
    """(the cover then the gallery, {staff id: picture}) of a published venue, in one query."""
    shown, pictures = [], {}
    for photo in _shown("p.venue_id = %s", [venue_id]):
        if photo.role == Role.STAFF:
            pictures[photo.staff_id] = photo
        else:
            shown.append(photo)
    return shown, pictures

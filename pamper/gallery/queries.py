"""Reads: a venue's cover and gallery, covers for a page of venues (one query, usually none), staff pictures.

Pages read these on every view (six covers on a page of results, a venue's gallery and team), so they are one
plain SQL statement each, the same on SQLite and PostgreSQL: building the ORM query cost more than running it.
The photos come back with what a page shows (`picture` in gallery_tags); any other field loads when read.

Covers are also kept in the shared cache, one entry per venue (its cover's fields, or none): a page of results
reads them with one cache call instead of a statement, so the database answers one statement per results page
instead of two (on one machine the page is 0.2-0.5 ms quicker; with several, the database is what they share).
Not with the file cache a machine without CACHE_URL shares: six file reads cost more (0.2 ms a page) than the
one statement they save (0.07 ms), so there the covers are read every time.
Every write that can change what a cover shows forgets the venue's entry (`forget_covers`, called by
gallery.actions and on venues.hooks.venue_changed, which covers publishing), now and again when the write
commits; COVER_SECONDS bounds what a reader that raced a write could have stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connections, router, transaction

from pamper.lib.prepared import fetch_all, json_value
from pamper.venues.models import Venue

from .models import Photo, Role

# What a page shows of a photo; the rest (original, generated, created_at) is deferred.
_FIELDS = ("id", "venue_id", "staff_id", "role", "position", "alt_text", "width", "height", "renditions")
_VENUE = _FIELDS.index("venue_id")
COVER_SECONDS = 600


def _rows(where: str, params: list[Any]) -> list[list[Any]]:
    """The _FIELDS of the photos of published venues matching `where` (on `p`, the photo), in display order
    (Photo.objects.shown())."""
    columns = ", ".join(f"p.{name}" for name in _FIELDS)
    # Names from the models and `where` from this module; every value is a parameter.
    sql = (f"SELECT {columns} FROM {Photo._meta.db_table} p JOIN {Venue._meta.db_table} v "  # noqa: S608
           f"ON v.id = p.venue_id WHERE v.is_published AND {where} ORDER BY p.role, p.position, p.id")
    # The last field, renditions, is a JSON column.
    return [[*row[:-1], json_value(row[-1])] for row in fetch_all(sql, params, router.db_for_read(Photo))]


def _photo(values: list[Any]) -> Photo:
    return Photo.from_db(router.db_for_read(Photo), _FIELDS, list(values))


def _shown(where: str, params: list[Any]) -> list[Photo]:
    return [_photo(values) for values in _rows(where, params)]


def _cover_key(venue_id: int) -> str:
    return f"gallery:cover:{venue_id}"


def covers(venue_ids: Iterable[int]) -> dict[int, Photo]:
    """{venue id: its cover} for the published venues among `venue_ids` that have one: one cache call, and one
    query for the venues the cache does not know yet."""
    ids = sorted({int(v) for v in venue_ids if v})
    if not ids:
        return {}
    keys = {i: _cover_key(i) for i in ids}
    kept = {} if _files() else cache.get_many(list(keys.values()))
    found = {i: kept[key] for i, key in keys.items() if key in kept}
    missing = [i for i in ids if i not in found]
    if missing:
        if connections[router.db_for_read(Photo)].vendor == "postgresql":  # one statement text whatever the count
            rows = _rows("p.role = %s AND p.venue_id = ANY(%s)", [Role.COVER.value, missing])
        else:
            marks = ", ".join(["%s"] * len(missing))
            rows = _rows(f"p.role = %s AND p.venue_id IN ({marks})", [Role.COVER.value, *missing])
        read: dict[int, list[Any] | None] = dict.fromkeys(missing)
        read.update((values[_VENUE], values) for values in rows)
        if not _files():
            cache.set_many({keys[i]: values for i, values in read.items()}, COVER_SECONDS)
        found.update(read)
    return {i: _photo(values) for i, values in found.items() if values is not None}


def _files() -> bool:
    """Whether the shared cache is the file cache (see the module docstring)."""
    return isinstance(caches["default"], FileBasedCache)


def forget_covers(venue_ids: Iterable[int]) -> None:
    """Drop the kept covers of these venues (every process sharing the cache), now and when the write commits:
    a page read between the two saw the old rows."""
    keys = [_cover_key(int(i)) for i in venue_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


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

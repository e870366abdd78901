"""Pictures in pages: `{% picture photo sizes="..." %}` renders a <picture> with a WebP srcset and a JPEG fallback
(and the photo's alt text, width and height, so nothing jumps as it loads). `venue_cover`, `venue_gallery`,
`covers_for` and `staff_pictures` read what a page shows (covers_for: one query for a page of results)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from pamper.gallery import queries
from pamper.gallery.models import Photo

register = template.Library()


def _srcset(photo: Photo, fmt: str) -> str:
    return ", ".join(f"{reverse('gallery:rendition', args=[photo.pk, w, fmt])} {w}w"
                     for w, _ in photo.sources().get(fmt, []))


@register.inclusion_tag("gallery/_picture.html")
def picture(photo: Photo | None, sizes: str = "100vw", css: str = "", eager: bool = False) -> dict[str, Any]:
    if photo is None:
        return {"photo": None}
    jpeg = photo.sources().get("jpeg", [])
    middle = jpeg[len(jpeg) // 2][0] if jpeg else 0
    return {
        "photo": photo, "sizes": sizes, "css": css, "eager": eager,
        "webp": _srcset(photo, "webp"), "jpeg": _srcset(photo, "jpeg"),
        "src": reverse("gallery:rendition", args=[photo.pk, middle, "jpeg"]) if jpeg else "",
    }


@register.simple_tag
def venue_cover(venue_id: int) -> Photo | None:
    return queries.covers([venue_id]).get(venue_id)


@register.simple_tag
def venue_gallery(venue_id: int) -> list[Photo]:
    return queries.gallery(venue_id)


def _dig(row: Any, path: str) -> Any:
    for part in path.split("."):
        row = row.get(part) if isinstance(row, dict) else getattr(row, part, None)
    return row


@register.simple_tag
def covers_for(rows: Any, key: str = "venue_id") -> dict[int, Photo]:
    """{venue id: cover} for a page of rows (dicts or objects; `key` may be dotted: "venue.id"), in one query."""
    ids = [_dig(r, key) for r in rows or []]
    return queries.covers(i for i in ids if i)


@register.simple_tag
def staff_pictures(venue_id: int) -> dict[int, Photo]:
    return queries.staff_pictures(venue_id)


@register.filter
def photo_of(photos: dict[int, Photo], key: Any) -> Photo | None:
    return photos.get(key) if photos else None

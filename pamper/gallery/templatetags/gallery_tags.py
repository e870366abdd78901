"""Pictures in pages: `{% picture photo sizes="..." %}` renders a <picture> with a WebP srcset and a JPEG fallback
(and the photo's alt text, width and height, so nothing jumps as it loads), built in Python: it is the one tag a
page of results repeats. `venue_cover`, `venue_gallery`, `covers_for` and `staff_pictures` read what a page shows
(covers_for: one query for a page of results)."""

from __future__ import annotations

import functools
import html
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

from pamper.gallery import queries
from pamper.gallery.models import Photo

register = template.Library()


# Stand-ins reversed once per language and script prefix: a picture's seven addresses are then string formatting,
# not seven reverse() calls (a page of search results shows six pictures).
_PHOTO, _WIDTH, _FORMAT = 918273645, 546372819, "pamperformat"


@functools.lru_cache(maxsize=64)
def _rendition_pattern(language: str | None, script_prefix: str) -> str:
    """The rendition address with {photo}, {width} and {fmt} in place of its arguments, in the active language."""
    url = reverse("gallery:rendition", args=[_PHOTO, _WIDTH, _FORMAT])
    return (url.replace("{", "{{").replace("}", "}}").replace(str(_PHOTO), "{photo}", 1)
            .replace(str(_WIDTH), "{width}", 1).replace(_FORMAT, "{fmt}", 1))


def _srcset(pattern: str, pk: int, widths: list[int], fmt: str) -> str:
    return ", ".join(f"{pattern.format(photo=pk, width=w, fmt=fmt)} {w}w" for w in widths)


def _widths(photo: Photo, fmt: str) -> list[int]:
    """The widths of a format's renditions, narrowest first (as Photo.sources() orders them)."""
    return sorted(int(w) for w in ((photo.renditions or {}).get(fmt) or {}))


def _esc(value: Any) -> str:
    """A value as format_html writes it: safe text as it is, anything else HTML-escaped."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def picture(photo: Photo | None, sizes: str = "100vw", css: str = "", eager: bool = False) -> SafeString:
    """<picture> with a WebP source and a JPEG <img> (the middle width as its src); '' without a photo.

    Written with f-strings and one escape per value, as format_html escaped them (a page of results repeats it)."""
    if photo is None:
        return mark_safe("")
    pattern = _rendition_pattern(get_language(), get_script_prefix())
    jpeg, webp, pk, shown_sizes = _widths(photo, "jpeg"), _widths(photo, "webp"), photo.pk, _esc(sizes)
    src = _esc(pattern.format(photo=pk, width=jpeg[len(jpeg) // 2], fmt="jpeg")) if jpeg else ""
    source = (f'<source type="image/webp" srcset="{_esc(_srcset(pattern, pk, webp, "webp"))}" sizes="{shown_sizes}">'
              if webp else "")
    css_class = _esc(f" {css}") if css else ""
    lazy = "" if eager else ' loading="lazy"'
    return SafeString(
        f'<picture class="photo{css_class}">{source}<img src="{src}" '
        f'srcset="{_esc(_srcset(pattern, pk, jpeg, "jpeg"))}" sizes="{shown_sizes}" alt="{_esc(photo.alt_text)}" '
        f'width="{_esc(photo.width)}" height="{_esc(photo.height)}"{lazy} decoding="async"></picture>')


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


@register.simple_tag
def venue_photos(venue_id: int) -> dict[str, Any]:
    """{"gallery": the cover then the gallery, "staff": {staff id: picture}}: a venue page's photos in one query."""
    gallery, staff = queries.venue_photos(venue_id)
    return {"gallery": gallery, "staff": staff}


@register.filter
def photo_of(photos: dict[int, Photo], key: Any) -> Photo | None:
    return photos.get(key) if photos else None

"""Serving a picture's sizes: public pictures of published venues, read through the storage API (the storage
itself is private: no storage URL is ever handed out). Names never change, so browsers may keep them a year."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from pamper.lib import storage

from .images import CONTENT_TYPES
from .models import Photo


@require_safe
def rendition(request: HttpRequest, photo_id: int, width: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("No such picture.")
    photo = Photo.objects.filter(pk=photo_id, venue__is_published=True).only("renditions").first()
    name = photo.file_for(fmt, width) if photo else None
    if not name:
        raise Http404("No such picture.")
    try:
        data = storage.read(name)
    except FileNotFoundError as exc:
        raise Http404("No such picture.") from exc
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""The one write of this app: stamping what changed (the sitemaps' lastmod)."""

from __future__ import annotations

import datetime as dt

from .models import Stamp


def stamp_change(*, kind: str, object_id: int, now: dt.datetime) -> None:
    """Record that the object changed at `now` (runs inside the caller's transaction)."""
    Stamp.objects.update_or_create(kind=kind, object_id=object_id, defaults={"changed_at": now})

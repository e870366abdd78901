"""Clinical tests run in the shared world (pamper/tests/world.py, the root `world` and `frozen` fixtures):
one clinic offering mesotherapy and hair colour with their consultations, its staff in every role, a
second venue, two customers, and the clock stopped at Monday 2 March 2026 08:00 UTC. This file adds
image bytes for photo uploads and a recorder of booking events.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from pamper.tests.world import NOW, World, at, build_world

__all__ = ["NOW", "World", "at", "build_world", "events", "image_bytes"]


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 80, 120),
                exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs: dict[str, Any] = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def events(monkeypatch) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Every booking_changed(booking_id, kind) call, in order."""
    calls: list[tuple[int, str]] = []
    import pamper.notifications.events as notification_events

    monkeypatch.setattr(notification_events, "booking_changed",
                        lambda booking_id, kind: calls.append((booking_id, kind)))
    return calls

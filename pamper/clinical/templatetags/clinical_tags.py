"""Template helpers for clinical pages: local times with the zone named, answers by slug."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import template

from pamper.lib.clock import format_local

register = template.Library()


@register.filter
def local(instant: dt.datetime | None, tz: zoneinfo.ZoneInfo | str) -> str:
    """'Tue 3 Mar 2026, 14:30 GMT (Europe/London)', or '' for None."""
    return format_local(instant, tz) if instant else ""


@register.filter
def answer(answers: dict[str, Any] | None, slug: str) -> Any:
    return (answers or {}).get(slug)


@register.filter
def outcome_badge(outcome: str) -> str:
    return {"passed": "ok", "reaction": "bad"}.get(outcome, "warn")


RECORD_LABELS = {
    "client_record": "the clinical record", "photo": "a photo", "worklist": "the worklist", "export": "the export",
    "erasure": "the erasure", "session": "a session check-in", "course": "a course",
}


@register.filter
def record_label(record_type: str) -> str:
    return RECORD_LABELS.get(record_type, record_type.replace("_", " "))

"""Template helpers for clinical pages: local times with the zone named, answers by slug."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import template
from django.utils.translation import gettext, gettext_lazy

from pamper.accounts.models import Role
from pamper.clinical.access import CUSTOMER
from pamper.clinical.models import AccessLog
from pamper.lib.clock import format_local
from pamper.lib.format_tags import seen

register = template.Library()


@register.filter
def local(instant: dt.datetime | None, tz: zoneinfo.ZoneInfo | str) -> str:
    """'Tue 3 Mar 2026, 14:30' in the venue's zone (named for a reader elsewhere), or '' for None; with no venue
    zone (a log line without a venue), as format_tags.seen writes an instant that belongs to no venue."""
    if not instant:
        return ""
    return format_local(instant, tz) if tz else seen(instant)


@register.filter
def at_venue(instant: dt.datetime | None, venue: Any) -> str:
    """`local` at the venue's zone; a log line without a venue (None) shows its time as `local` does then."""
    return local(instant, venue.tz if venue is not None else "")


@register.filter
def answer(answers: dict[str, Any] | None, slug: str) -> Any:
    return (answers or {}).get(slug)


@register.filter
def outcome_badge(outcome: str) -> str:
    return {"passed": "ok", "reaction": "bad"}.get(outcome, "warn")


# What an access-log line was about, in the reader's language (the log stores the code).
RECORD_LABELS = {
    "client_record": gettext_lazy("the clinical record"), "photo": gettext_lazy("a photo"),
    "worklist": gettext_lazy("the worklist"), "export": gettext_lazy("the export"),
    "erasure": gettext_lazy("the erasure"), "session": gettext_lazy("a session check-in"),
    "course": gettext_lazy("a course"),
}
# Who read, by the role they held then (the log stores the code): the venue roles, or the customer themself.
ROLE_LABELS = {**dict(Role.choices), CUSTOMER: gettext_lazy("Customer")}


@register.filter
def record_label(record_type: str) -> str:
    return str(RECORD_LABELS.get(record_type, record_type.replace("_", " ")))


@register.filter
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@register.filter
def log_what(entry: AccessLog) -> str:
    """What a log line's reader did, in the reader's language: 'Viewed: the clinical record'; 'Opened a photo'
    alone, which says what it opened."""
    if entry.action == AccessLog.Action.DOWNLOAD:
        return str(entry.get_action_display())
    return gettext("%(action)s: %(what)s") % {"action": entry.get_action_display(),
                                              "what": record_label(entry.record_type)}

"""What every workspace page shares: opening the workspace, the switcher, rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from pamper.bookings.workspace import Perm, Workspace, member_venues, open_workspace
from pamper.lib import clock, dates

View = Callable[..., HttpResponse]

NAV = [
    ("calendar", gettext_lazy("Calendar"), Perm.CALENDAR),
    ("clients", gettext_lazy("Clients"), Perm.CLIENTS),
    ("services", gettext_lazy("Services"), Perm.SETUP),
    ("staff", gettext_lazy("Staff"), Perm.SETUP),
    ("photos", gettext_lazy("Photos"), Perm.SETUP),
    ("hours", gettext_lazy("Hours"), Perm.SETUP),
    ("policies", gettext_lazy("Policies"), Perm.SETUP),
    ("payments", gettext_lazy("Payments"), Perm.SETUP),
    # "Staff" (who works in the diary) and "Team" (who can sign in) are one word in several languages: told apart.
    ("team", pgettext_lazy("workspace: the people who can sign in, and their roles", "Team"), Perm.TEAM),
    ("settings", gettext_lazy("Venue"), Perm.SETUP),
]


def workspace_view(perm: Perm = Perm.CALENDAR) -> Callable[[View], View]:
    """Decorate a view taking (request, ws, ...): signed in, a member of venue_id (else 404), allowed perm
    (else 403)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, venue_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                ws = open_workspace(request.user, venue_id, perm)  # type: ignore[arg-type]
                return view(request, ws, *args, **kwargs)
            except PermissionDenied as exc:
                return render(request, "partner/forbidden.html", {"message": str(exc)}, status=403)

        return wrapper

    return decorate


def render_ws(request: HttpRequest, ws: Workspace, template: str, context: dict[str, Any] | None = None,
              status: int = 200) -> HttpResponse:
    nav = [(reverse(f"partner:{name}", args=[ws.venue.pk]), label, name) for name, label, perm in NAV if ws.can(perm)]
    base = {
        "ws": ws, "venue": ws.venue, "nav": nav, "switcher": member_venues(ws.user),
        "today": clock.now().astimezone(ws.venue.tz).date(), "section": context.get("section", "") if context else "",
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def local_today(ws: Workspace) -> dt.date:
    return clock.now().astimezone(ws.venue.tz).date()


def parse_day(value: str | None, default: dt.date) -> dt.date:
    """An ISO date from the query string, or default when missing; malformed or outside dates.DIARY is a 400."""
    if not value:
        return default
    try:
        return dates.parse_day(value, dates.DIARY)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def parse_start(value: str) -> dt.datetime:
    """An ISO instant with its offset from the query string; malformed or outside dates.VISIT is a 400."""
    try:
        return dates.parse_instant(value, dates.VISIT)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc

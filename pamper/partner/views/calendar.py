"""The calendar by day and by week, in the venue's local time; htmx swaps the grid in place."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from pamper.bookings.models import CHANGEABLE, Booking, Status
from pamper.bookings.workspace import Perm, Workspace
from pamper.lib.ids import id_from
from pamper.waitlist import queries as waitlist
from pamper.waitlist.actions import OFFER_MINUTES

from .. import queries
from ..calendar import lay_out_day, lay_out_week, week_start
from ..week import lay_out_week_grid
from .common import local_today, parse_day, render_ws, workspace_view

GRID_TARGET = "calendar"


def calendar_url(venue_id: int, day: dt.date, view: str = "day") -> str:
    return reverse("partner:calendar", args=[venue_id]) + "?" + urlencode({"date": day.isoformat(), "view": view})


def _nav(ws: Workspace, day: dt.date, view: str) -> dict[str, str]:
    step = dt.timedelta(days=7 if view == "week" else 1)
    today = local_today(ws)
    return {
        "prev": calendar_url(ws.venue.pk, day - step, view),
        "next": calendar_url(ws.venue.pk, day + step, view),
        "today": calendar_url(ws.venue.pk, today, view),
        "day": calendar_url(ws.venue.pk, day, "day"),
        "week": calendar_url(ws.venue.pk, day, "week"),
        "self": calendar_url(ws.venue.pk, day, view),
    }


def _moving(ws: Workspace, booking_id: str | None) -> Booking | None:
    """The booking being moved on the week grid (?move=<id>): one of this venue's that may still change."""
    moving = id_from(booking_id)
    if moving is None or not ws.can(Perm.BOOKINGS):
        return None
    found = ws.bookings().select_related("client").filter(pk=moving).first()
    return found if found is not None and found.status in CHANGEABLE and found.status != Status.HELD else None


def _context(ws: Workspace, day: dt.date, view: str, moving: str | None = None) -> dict:
    venue = ws.venue
    context: dict = {"day": day, "view": view, "links": _nav(ws, day, view), "section": "calendar",
                     "can_book": ws.can(Perm.BOOKINGS)}
    if view == "week":
        first = week_start(day)
        data = queries.load_calendar(venue, first, 7)
        week = lay_out_week(first_day=first, zone=venue.timezone, columns=data.columns, closures=data.closures,
                            opening_hours=data.opening)
        context["week"] = [(wd, calendar_url(venue.pk, wd.day, "day")) for wd in week]
        grid = lay_out_week_grid(first_day=first, zone=venue.timezone, columns=data.columns, closures=data.closures,
                                 opening_hours=data.opening, step_minutes=30)
        context["grid_week"] = grid
        context["week_heads"] = [(d, calendar_url(venue.pk, d.day, "day")) for d in grid.days]
        context["moving"] = _moving(ws, moving)
        context["columns"] = data.columns
        context["first"], context["last"] = first, first + dt.timedelta(days=6)
    else:
        data = queries.load_calendar(venue, day, 1)
        context["grid"] = lay_out_day(day=day, zone=venue.timezone, step_minutes=min(venue.slot_minutes, 30),
                                      columns=data.columns, opening_hours=data.opening, closure=data.closures.get(day))
        context["waitlist"] = waitlist.waiting_on(venue.pk, day)
        context["waitlist_minutes"] = OFFER_MINUTES
    return context


@workspace_view(Perm.CALENDAR)
def calendar(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """?date=YYYY-MM-DD (local, default today) and ?view=day|week. An htmx request for the grid gets the grid alone."""
    day = parse_day(request.GET.get("date"), local_today(ws))
    view = "week" if request.GET.get("view") == "week" else "day"
    context = _context(ws, day, view, request.GET.get("move"))
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == GRID_TARGET:
        return render_ws(request, ws, "partner/calendar.html#grid", context)
    return render_ws(request, ws, "partner/calendar.html", context)

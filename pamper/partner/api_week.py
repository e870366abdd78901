"""Partner API: a venue's weekly opening hours, the days it is closed, and its staff's time off.

Mounted inside partner.api's router (same auth). Reading needs any role at the venue; writing needs owner or
manager. Writes go through pamper.venues.actions (search index in step). A change that would leave upcoming
bookings on a closed day, in someone's time off or outside the opening hours is refused with 409
bookings_uncovered, listing them, until the request says `confirm=true` (the bookings then stay as they are).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from pamper.bookings.workspace import Perm, Workspace, api_workspace
from pamper.errors import Refusal, invalid
from pamper.lib import clock, walltime
from pamper.lib.dates import DiaryDate, DiaryInstant
from pamper.lib.fields import Id, Input, WallEnd, WallTime
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure, OpeningHours, Staff, TimeOff

from . import cover
from .api_venue_setup import ConfirmQuery, ask

router = Router(tags=["partner"])

P = "/partner/venues/{venue_id}"


class HoursOut(Schema):
    weekday: int = Field(description="0 = Monday")
    opens: str = Field(description="Local wall-clock HH:MM")
    closes: str = Field(description="Local wall-clock HH:MM; 24:00 for open until midnight")


class HoursIn(Input):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    opens: WallTime = Field(description="Local wall-clock HH:MM")
    closes: WallEnd = Field(description="Local wall-clock HH:MM, after the opening; 24:00 (or 00:00) for midnight")


class WeekIn(Input):
    hours: list[HoursIn] = Field(max_length=70, description="The whole week (replaces it); two intervals on a day "
                                                            "make a break between them; a day left out is closed")


class ClosureOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date = Field(description="The last closed day (inclusive)")
    reason: str


class ClosureIn(Input):
    start_date: DiaryDate
    end_date: DiaryDate = Field(description="The last closed day (inclusive)")
    reason: str = Field("", max_length=200)


class TimeOffOut(Schema):
    id: int
    staff_id: int
    start: dt.datetime = Field(description="ISO 8601 in the venue's local time with its offset")
    end: dt.datetime
    reason: str


class TimeOffIn(Input):
    staff_id: Id
    start: DiaryInstant = Field(description="ISO 8601 with an offset, e.g. 2026-05-06T09:00:00+01:00")
    end: DiaryInstant
    reason: str = Field("", max_length=200)


class TimeOffQuery(Schema):
    staff_id: Id | None = None


def _hours_out(rows: Any) -> list[dict[str, Any]]:
    return [{"weekday": h.weekday, "opens": walltime.text(h.opens), "closes": walltime.text(h.closes)} for h in rows]


def _week(ws: Workspace) -> list[dict[str, Any]]:
    return _hours_out(OpeningHours.objects.filter(venue=ws.venue).order_by("weekday", "opens"))


def _closure_out(row: Closure) -> dict[str, Any]:
    return {"id": row.pk, "start_date": row.start_date, "end_date": row.end_date, "reason": row.reason}


def _time_off_out(row: TimeOff, ws: Workspace) -> dict[str, Any]:
    tz = ws.venue.tz
    return {"id": row.pk, "staff_id": row.staff_id, "start": row.start.astimezone(tz), "end": row.end.astimezone(tz),
            "reason": row.reason}


@router.get(P + "/hours", response=list[HoursOut], summary="Weekly opening hours in local wall-clock time")
def get_hours(request: HttpRequest, venue_id: Id) -> list[dict[str, Any]]:
    return _week(api_workspace(request, venue_id))


@router.put(P + "/hours", response=list[HoursOut], summary="Set the whole week's opening hours")
def set_hours(request: HttpRequest, venue_id: Id, data: WeekIn, params: Query[ConfirmQuery]) -> list[dict[str, Any]]:
    """Overlapping intervals on a day: 422. Upcoming bookings the new hours leave outside them: 409
    bookings_uncovered unless confirm=true (they stay as they are)."""
    ws = api_workspace(request, venue_id, Perm.SETUP)
    week = [(h.weekday, h.opens, h.closes) for h in data.hours]
    venue_actions.check_opening_hours(ws.venue, week)  # a bad or empty week is a 422 before any question
    ask(cover.hours_change(ws.venue, week), params)
    venue_actions.set_opening_hours(venue=ws.venue, hours=week)
    return _week(ws)


@router.get(P + "/closures", response=list[ClosureOut], summary="Days the venue is closed, from today on")
def list_closures(request: HttpRequest, venue_id: Id) -> list[dict[str, Any]]:
    ws = api_workspace(request, venue_id)
    today = clock.now().astimezone(ws.venue.tz).date()
    rows = Closure.objects.filter(venue=ws.venue, end_date__gte=today).order_by("start_date")
    return [_closure_out(c) for c in rows]


@router.post(P + "/closures", response={201: ClosureOut}, summary="Close the venue for whole local days")
def create_closure(request: HttpRequest, venue_id: Id, data: ClosureIn, params: Query[ConfirmQuery]) -> Status:
    """A last day before the first: 422. Days overlapping a closure already set: 409 overlapping_closure.
    Upcoming bookings on those days: 409 bookings_uncovered unless confirm=true (they stay as they are)."""
    ws = api_workspace(request, venue_id, Perm.SETUP)
    if data.end_date < data.start_date:
        raise invalid(gettext("The last day comes before the first."), field="end_date")
    ask(cover.closure(ws.venue, data.start_date, data.end_date), params)
    row = venue_actions.add_closure(venue=ws.venue, start_date=data.start_date, end_date=data.end_date,
                                    reason=data.reason)
    return Status(201, _closure_out(row))


@router.delete(P + "/closures/{closure_id}", response={204: None}, summary="Open again on a closure's days")
def delete_closure(request: HttpRequest, venue_id: Id, closure_id: Id) -> Status:
    ws = api_workspace(request, venue_id)
    row = get_object_or_404(Closure, venue=ws.venue, pk=closure_id)
    ws.require(Perm.SETUP)
    venue_actions.remove_closure(closure=row)
    return Status(204, None)


@router.get(P + "/time-off", response=list[TimeOffOut], summary="Staff time off still to come or under way")
def list_time_off(request: HttpRequest, venue_id: Id, params: Query[TimeOffQuery]) -> list[dict[str, Any]]:
    ws = api_workspace(request, venue_id)
    rows = TimeOff.objects.filter(staff__venue=ws.venue, end__gt=clock.now()).order_by("start", "pk")
    if params.staff_id is not None:
        rows = rows.filter(staff_id=params.staff_id)
    return [_time_off_out(t, ws) for t in rows]


@router.post(P + "/time-off", response={201: TimeOffOut}, summary="Give a staff member time off")
def create_time_off(request: HttpRequest, venue_id: Id, data: TimeOffIn, params: Query[ConfirmQuery]) -> Status:
    """Times without an offset or an end before the start: 422. Overlapping time off they already have: 409
    overlapping_time_off. Their upcoming bookings in that time: 409 bookings_uncovered unless confirm=true."""
    ws = api_workspace(request, venue_id, Perm.SETUP)
    staff = Staff.objects.select_related("venue").filter(venue=ws.venue, pk=data.staff_id).first()
    if staff is None:
        raise Refusal(422, "unknown_staff", gettext("That staff member does not work here."))
    if data.start.tzinfo is None or data.end.tzinfo is None:
        raise invalid(gettext("Time off needs times with a time zone."), field="start")
    ask(cover.time_off(staff, data.start, data.end), params)
    row = venue_actions.add_time_off(staff=staff, start=data.start, end=data.end, reason=data.reason)
    return Status(201, _time_off_out(row, ws))


@router.delete(P + "/time-off/{time_off_id}", response={204: None}, summary="Cancel a staff member's time off")
def delete_time_off(request: HttpRequest, venue_id: Id, time_off_id: Id) -> Status:
    ws = api_workspace(request, venue_id)
    row = get_object_or_404(TimeOff, staff__venue=ws.venue, pk=time_off_id)
    ws.require(Perm.SETUP)
    venue_actions.remove_time_off(time_off=row)
    return Status(204, None)

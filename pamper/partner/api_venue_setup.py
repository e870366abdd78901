"""Partner API: a venue's services and prices, staff and what they perform, weekly shifts.

Mounted inside partner.api's router (same auth). Reading needs any role at the
venue; writing needs owner or manager. Writes go through pamper.venues.actions
(search index in step); their Refusal (422 with the field's message) is the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from pamper.bookings.workspace import Perm, Workspace, api_workspace
from pamper.catalog.models import Treatment
from pamper.errors import Refusal
from pamper.lib.dates import DiaryDate
from pamper.lib.fields import Id, Input, Name, WallEnd, WallTime
from pamper.venues import actions as venue_actions
from pamper.venues.models import Service, Shift, Staff

from . import cover
from .present import service_out, shift_out, staff_out

router = Router(tags=["partner"])

PRICE = r"^[0-9]{1,7}(\.[0-9]{1,2})?$"  # ASCII digits: a pattern's \d also matches other scripts' digits
P = "/partner/venues/{venue_id}"


class ServiceOut(Schema):
    id: int
    treatment_id: int
    kind: str
    name: str
    variant: str
    description: str
    price: str
    currency: str
    duration_minutes: int
    buffer_before: int
    buffer_after: int
    online_bookable: bool
    is_active: bool
    staff_ids: list[int]


class ServiceIn(Input):
    treatment_id: Id
    name: Name = Field(min_length=1, max_length=150)
    price: str = Field(pattern=PRICE, description="A string such as '45' or '45.50', in the venue's currency.")
    duration_minutes: int = Field(ge=5, le=720)
    kind: str = Field("treatment", pattern="^(treatment|consultation)$")
    variant: Name = Field("", max_length=60)
    description: str = Field("", max_length=5000)
    buffer_before: int = Field(0, ge=0, le=240)
    buffer_after: int = Field(0, ge=0, le=240)
    online_bookable: bool = True
    is_active: bool = True
    staff_ids: list[Id] | None = Field(None, max_length=200, description="Who performs it (replaces the list).")


class ServicePatch(Input):
    treatment_id: Id | None = None
    name: Name | None = Field(None, min_length=1, max_length=150)
    price: str | None = Field(None, pattern=PRICE)
    duration_minutes: int | None = Field(None, ge=5, le=720)
    kind: str | None = Field(None, pattern="^(treatment|consultation)$")
    variant: Name | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=5000)
    buffer_before: int | None = Field(None, ge=0, le=240)
    buffer_after: int | None = Field(None, ge=0, le=240)
    online_bookable: bool | None = None
    is_active: bool | None = None
    staff_ids: list[Id] | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=2000, description="Why, when the change weakens the rules the "
                               "service's bookings are checked against (owner only; kept in the audit log).")


class StaffOut(Schema):
    id: int
    name: str
    title: str
    bio: str
    is_active: bool
    user_id: int | None
    service_ids: list[int]


class StaffIn(Input):
    name: Name = Field(min_length=1, max_length=120)
    title: str = Field("", max_length=120)
    bio: str = Field("", max_length=5000)
    is_active: bool = True
    service_ids: list[Id] | None = Field(None, max_length=200)


class StaffPatch(Input):
    name: Name | None = Field(None, min_length=1, max_length=120)
    title: str | None = Field(None, max_length=120)
    bio: str | None = Field(None, max_length=5000)
    is_active: bool | None = None
    service_ids: list[Id] | None = Field(None, max_length=200)


class ShiftOut(Schema):
    id: int
    staff_id: int
    weekday: int = Field(description="0 = Monday")
    start: str = Field(description="Local wall-clock HH:MM")
    end: str = Field(description="Local wall-clock HH:MM; 24:00 for a shift until midnight")
    valid_from: dt.date | None
    valid_until: dt.date | None


class ShiftIn(Input):
    staff_id: Id
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: WallTime = Field(description="Local wall-clock HH:MM")
    end: WallEnd = Field(description="Local wall-clock HH:MM, after the start on the same day; 24:00 (or 00:00) "
                                     "for a shift until midnight")
    valid_from: DiaryDate | None = None
    valid_until: DiaryDate | None = None


class ShiftsQuery(Schema):
    staff_id: Id | None = None


class ConfirmQuery(Schema):
    confirm: bool = Field(False, description="Make the change even though upcoming bookings would be left without "
                                             "cover (refused with 409 bookings_uncovered, listing them, otherwise)")


def ask(left: cover.Uncovered | None, params: ConfirmQuery) -> None:
    """Refuse a change that leaves upcoming bookings without cover unless the request confirms it."""
    if left and not params.confirm:
        raise left.refusal()


# --- services -------------------------------------------------------------------------------------


def _services(ws: Workspace) -> Any:
    return Service.objects.filter(venue=ws.venue).prefetch_related("staff")


def _own_staff(ws: Workspace, ids: list[int] | None) -> list[Staff] | None:
    if ids is None:
        return None
    found = list(Staff.objects.filter(venue=ws.venue, pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise Refusal(422, "unknown_staff", gettext("Every staff member must work at this venue."))
    return found


def _treatment(treatment_id: int) -> Treatment:
    found = Treatment.objects.filter(pk=treatment_id).first()
    if found is None:
        raise Refusal(422, "unknown_treatment", gettext("No such treatment in the catalogue."))
    return found


@router.get(P + "/services", response=list[ServiceOut], summary="The venue's services and prices")
def list_services(request: HttpRequest, venue_id: Id) -> list[dict[str, Any]]:
    return [service_out(s) for s in _services(api_workspace(request, venue_id))]


@router.get(P + "/services/{service_id}", response=ServiceOut, summary="One service")
def get_service(request: HttpRequest, venue_id: Id, service_id: Id) -> dict[str, Any]:
    return service_out(get_object_or_404(_services(api_workspace(request, venue_id)), pk=service_id))


def _save_service(ws: Workspace, values: dict[str, Any], service: Service | None) -> Service:
    staff = _own_staff(ws, values.pop("staff_ids", None))
    treatment = _treatment(values.pop("treatment_id"))
    return venue_actions.save_service(venue=ws.venue, service=service, treatment=treatment, staff=staff, by=ws.user,
                                      **values)


@router.post(P + "/services", response={201: ServiceOut}, summary="Add a service with its price")
def create_service(request: HttpRequest, venue_id: Id, data: ServiceIn) -> Status:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    service = _save_service(ws, data.model_dump(), None)
    return Status(201, service_out(Service.objects.prefetch_related("staff").get(pk=service.pk)))


@router.patch(P + "/services/{service_id}", response=ServiceOut, summary="Change a service (only the fields sent)")
def update_service(request: HttpRequest, venue_id: Id, service_id: Id, data: ServicePatch,
                   params: Query[ConfirmQuery]) -> dict[str, Any]:
    """Switching it off, or taking staff off it, while it has upcoming bookings: 409 bookings_uncovered unless
    confirm=true."""
    ws = api_workspace(request, venue_id)
    service = get_object_or_404(_services(ws), pk=service_id)
    ws.require(Perm.SETUP)
    current = {k: v for k, v in service_out(service).items() if k in ServiceIn.model_fields}
    current["staff_ids"] = None  # unchanged unless sent
    values = {**current, **data.model_dump(exclude_unset=True, exclude_none=True)}
    ask(cover.service_change(service, active=values["is_active"], staff_ids=values["staff_ids"]), params)
    _save_service(ws, values, service)
    return service_out(Service.objects.prefetch_related("staff").get(pk=service.pk))


@router.delete(P + "/services/{service_id}", response=ServiceOut, summary="Stop offering a service (bookings keep it)")
def deactivate_service(request: HttpRequest, venue_id: Id, service_id: Id,
                       params: Query[ConfirmQuery]) -> dict[str, Any]:
    """With upcoming bookings: 409 bookings_uncovered unless confirm=true (the bookings stay as they are)."""
    ws = api_workspace(request, venue_id)
    service = get_object_or_404(_services(ws), pk=service_id)
    ws.require(Perm.SETUP)
    ask(cover.service_change(service, active=False, staff_ids=None), params)
    venue_actions.deactivate_service(service=service)
    return service_out(Service.objects.prefetch_related("staff").get(pk=service.pk))


# --- staff ------------------------------------------------------------------------------------------


def _staff_qs(ws: Workspace) -> Any:
    return Staff.objects.filter(venue=ws.venue).prefetch_related("services")


def _own_services(ws: Workspace, ids: list[int] | None) -> list[Service] | None:
    if ids is None:
        return None
    found = list(Service.objects.filter(venue=ws.venue, pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise Refusal(422, "unknown_service", gettext("Every service must be one of this venue's."))
    return found


@router.get(P + "/staff", response=list[StaffOut], summary="The venue's staff and what they perform")
def list_staff(request: HttpRequest, venue_id: Id) -> list[dict[str, Any]]:
    return [staff_out(s) for s in _staff_qs(api_workspace(request, venue_id))]


@router.get(P + "/staff/{staff_id}", response=StaffOut, summary="One staff member")
def get_staff(request: HttpRequest, venue_id: Id, staff_id: Id) -> dict[str, Any]:
    return staff_out(get_object_or_404(_staff_qs(api_workspace(request, venue_id)), pk=staff_id))


@router.post(P + "/staff", response={201: StaffOut}, summary="Add a staff member")
def create_staff(request: HttpRequest, venue_id: Id, data: StaffIn) -> Status:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    values = data.model_dump()
    services = _own_services(ws, values.pop("service_ids"))
    staff = venue_actions.save_staff(venue=ws.venue, services=services, **values)
    return Status(201, staff_out(_staff_qs(ws).get(pk=staff.pk)))


@router.patch(P + "/staff/{staff_id}", response=StaffOut, summary="Change a staff member (only the fields sent)")
def update_staff(request: HttpRequest, venue_id: Id, staff_id: Id, data: StaffPatch,
                 params: Query[ConfirmQuery]) -> dict[str, Any]:
    """Switching them off, or taking services from them, while they have upcoming bookings: 409
    bookings_uncovered unless confirm=true."""
    ws = api_workspace(request, venue_id)
    staff = get_object_or_404(_staff_qs(ws), pk=staff_id)
    ws.require(Perm.SETUP)
    sent = data.model_dump(exclude_unset=True, exclude_none=True)
    services = _own_services(ws, sent.pop("service_ids", None))
    values = {"name": staff.name, "title": staff.title, "bio": staff.bio, "is_active": staff.is_active, **sent}
    ask(cover.staff_change(staff, active=values["is_active"],
                            service_ids=None if services is None else {s.pk for s in services}), params)
    venue_actions.save_staff(venue=ws.venue, staff=staff, services=services, user=staff.user, **values)
    return staff_out(_staff_qs(ws).get(pk=staff.pk))


# --- shifts -----------------------------------------------------------------------------------------


def _shifts(ws: Workspace) -> Any:
    return Shift.objects.filter(staff__venue=ws.venue).order_by("staff_id", "weekday", "start")


@router.get(P + "/shifts", response=list[ShiftOut], summary="Weekly shifts in local wall-clock time")
def list_shifts(request: HttpRequest, venue_id: Id, params: Query[ShiftsQuery]) -> list[dict[str, Any]]:
    rows = _shifts(api_workspace(request, venue_id))
    if params.staff_id is not None:
        rows = rows.filter(staff_id=params.staff_id)
    return [shift_out(s) for s in rows]


@router.post(P + "/shifts", response={201: ShiftOut}, summary="Add a weekly shift")
def create_shift(request: HttpRequest, venue_id: Id, data: ShiftIn) -> Status:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    staff = Staff.objects.filter(venue=ws.venue, pk=data.staff_id).first()
    if staff is None:
        raise Refusal(422, "unknown_staff", gettext("That staff member does not work here."))
    shift = venue_actions.add_shift(staff=staff, weekday=data.weekday, start=data.start, end=data.end,
                                    valid_from=data.valid_from, valid_until=data.valid_until)
    return Status(201, shift_out(shift))


@router.delete(P + "/shifts/{shift_id}", response={204: None}, summary="Remove a weekly shift")
def delete_shift(request: HttpRequest, venue_id: Id, shift_id: Id, params: Query[ConfirmQuery]) -> Status:
    """Upcoming bookings it alone covers: 409 bookings_uncovered unless confirm=true (they stay as they are)."""
    ws = api_workspace(request, venue_id)
    shift = get_object_or_404(_shifts(ws), pk=shift_id)
    ws.require(Perm.SETUP)
    ask(cover.shift_removal(shift), params)
    venue_actions.remove_shift(shift=shift)
    return Status(204, None)

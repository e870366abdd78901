"""The partner API under /api/v1/partner/: a venue's calendar, bookings, services, staff, shifts, opening hours,
closures and time off.

Bearer tokens (or a signed-in session). Every route names the venue in its
path; a venue the token's user does not belong to, and any object of another
venue, is a 404 with nothing changed. Inside their venue, a role that may not
do something gets a 403. Times go out as ISO 8601 in the venue's local time
with its offset; prices are strings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from pamper.accounts.auth import bearer
from pamper.bookings import actions as booking_actions
from pamper.bookings import attendance, idempotency
from pamper.bookings.models import MAX_SERVICES, Booking, Status
from pamper.bookings.present import booking_json
from pamper.bookings.workspace import Perm, Workspace, api_workspace, member_venues
from pamper.clinical.pathway_refusals import WordedForVenue, for_venue
from pamper.errors import Refusal
from pamper.lib.dates import DiaryDate, VisitStart
from pamper.lib.fields import Id, Input, Name, Phone, Words
from pamper.lib.http import json_response
from pamper.venues.models import Service, Staff

from . import calendar, desk, queries
from .api_credentials import router as credentials_router
from .api_venue import router as venue_router
from .api_venue_setup import router as venue_setup_router
from .api_week import router as week_router
from .present import calendar_day_json

router = Router(tags=["partner"], auth=bearer)

MAX_CALENDAR_DAYS = 14
MAX_BOOKING_DAYS = 62
P = "/partner/venues/{venue_id}"


# --- schemas ------------------------------------------------------------------------------------


class VenueOut(Schema):
    id: int
    name: str
    role: str
    timezone: str
    currency: str
    is_published: bool


class RangeOut(Schema):
    start: str
    end: str


class CalendarEventOut(Schema):
    kind: str = Field(description="booking, hold or timeoff")
    start: str
    end: str
    booking_id: int | None
    status: str
    title: str
    detail: str


class CalendarStaffOut(Schema):
    id: int
    name: str
    working: list[RangeOut] = Field(description="Bookable time: shifts inside opening hours.")
    breaks: list[RangeOut]
    events: list[CalendarEventOut]


class CalendarDayOut(Schema):
    date: dt.date
    closed: str | None
    staff: list[CalendarStaffOut]


class CalendarOut(Schema):
    venue_id: int
    timezone: str
    days: list[CalendarDayOut]


class CalendarQuery(Schema):
    date: DiaryDate | None = Field(None, description="First local date (default: today at the venue).")
    days: int = Field(1, ge=1, le=MAX_CALENDAR_DAYS)


class ClientIn(Input):
    name: Name = Field(min_length=1, max_length=150)
    phone: Phone = ""
    email: str = Field("", max_length=254)
    new: bool = Field(False,
                      description="Record a new client even though clients on file match (after 409 client_match).")


class PartnerBookingIn(Input):
    services: list[Id] = Field(min_length=1, max_length=MAX_SERVICES, description="Service ids in visit order.")
    start: VisitStart = Field(description="ISO 8601 with offset; any whole minute (the venue's own diary).")
    staff_id: Id | None = Field(None, description="One staff member for every service; leave out for anyone free.")
    client_id: Id | None = Field(None, description="An existing client of the venue...")
    client: ClientIn | None = Field(None, description=(
        "...or a phone/walk-in client. When clients on file share the name, phone or email, the answer is 409 "
        "client_match with `candidates` (id, name, phone, email): send again with one's client_id, or with "
        "client.new = true for a new client. Nobody is attached to a matching client automatically."))
    notes: str = Field("", max_length=2000)


class ItemOut(Schema):
    service_id: int
    service_name: str
    staff_id: int
    staff_name: str
    start: str
    end: str
    price: str
    currency: str


class PartnerBookingOut(Schema):
    id: int
    venue_id: int
    status: str
    source: str
    client_id: int
    client_name: str
    start: str
    end: str
    timezone: str
    total_price: str
    currency: str
    notes: str
    cancel_reason: str = Field(
        description="Why it was cancelled, in the request's language when Pamper itself cancelled it.")
    cancel_cause: str = Field(description="Set when Pamper itself cancelled it: consultation_gone, patch_test_reaction "
                              "or customer_erased; empty for a reason a person gave.")
    items: list[ItemOut]


class BookingsQuery(Schema):
    from_date: DiaryDate | None = Field(None, alias="from", description="First local date (default: today).")
    to_date: DiaryDate | None = Field(None, alias="to", description="Last local date (default: 6 days later).")
    status: Status | None = None


class MoveIn(Input):
    start: VisitStart
    staff_id: Id | None = Field(None, description="Leave out to keep the staff member asked for, or anyone free.")


class ReasonIn(Input):
    reason: Words = Field(min_length=1, max_length=300, description="Shown to the client.")


# --- venues and calendar --------------------------------------------------------------------------


@router.get("/partner/venues", response=list[VenueOut], summary="The venues you belong to, with your role")
def venues(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": m.venue_id, "name": m.venue.name, "role": m.role, "timezone": m.venue.timezone,
         "currency": m.venue.currency, "is_published": m.venue.is_published}
        for m in member_venues(request.auth)  # type: ignore[attr-defined]
    ]


@router.get(P + "/calendar", response=CalendarOut, summary="Who works when and what fills their day, local time")
def venue_calendar(request: HttpRequest, venue_id: Id, params: Query[CalendarQuery]) -> dict[str, Any]:
    ws = api_workspace(request, venue_id)
    venue = ws.venue
    first = params.date or queries.local_today(venue)
    data = queries.load_calendar(venue, first, params.days)
    days = [calendar_day_json(first + dt.timedelta(days=i), data, venue.tz) for i in range(params.days)]
    return {"venue_id": venue.pk, "timezone": venue.timezone, "days": days}


# --- bookings ---------------------------------------------------------------------------------------


def _bookings(ws: Workspace) -> Any:
    return ws.bookings().with_items().select_related("client")


def _booking(ws: Workspace, booking_id: int) -> Booking:
    return get_object_or_404(_bookings(ws), pk=booking_id)


def _fresh(ws: Workspace, booking: Booking) -> dict[str, Any]:
    return booking_json(_booking(ws, booking.pk), for_venue=True)


@router.get(P + "/bookings", response=list[PartnerBookingOut],
            summary="Bookings in a range of local dates (at most 500)")
def list_bookings(request: HttpRequest, venue_id: Id, params: Query[BookingsQuery]) -> list[dict[str, Any]]:
    ws = api_workspace(request, venue_id)
    first = params.from_date or queries.local_today(ws.venue)
    last = params.to_date or first + dt.timedelta(days=6)
    if last < first or (last - first).days >= MAX_BOOKING_DAYS:
        raise Refusal(422, "invalid_range", gettext("Give 'to' on or after 'from', at most %(days)s days apart.")
                      % {"days": MAX_BOOKING_DAYS})
    lo, _ = calendar.day_bounds(first, ws.venue.tz)
    _, hi = calendar.day_bounds(last, ws.venue.tz)
    rows = _bookings(ws).filter(start__lt=hi, end__gt=lo).exclude(status=Status.EXPIRED).order_by("start")
    if params.status:
        rows = rows.filter(status=params.status)
    return [booking_json(b, for_venue=True) for b in rows[:500]]


@router.get(P + "/bookings/{booking_id}", response=PartnerBookingOut, summary="One booking")
def get_booking(request: HttpRequest, venue_id: Id, booking_id: Id) -> dict[str, Any]:
    return booking_json(_booking(api_workspace(request, venue_id), booking_id), for_venue=True)


def _create(ws: Workspace, data: PartnerBookingIn) -> tuple[int, dict[str, Any]]:
    services = list(Service.objects.filter(venue=ws.venue, pk__in=set(data.services)))
    by_id = {s.pk: s for s in services}
    if any(i not in by_id for i in data.services):
        raise Refusal(422, "unknown_service", gettext("Those services are not this venue's."))
    staff = _staff_or_422(ws, data.staff_id)
    client = None
    if data.client_id is not None:
        client = ws.clients().filter(pk=data.client_id).first()
        if client is None:
            raise Refusal(422, "unknown_client", gettext("That client is not one of this venue's."))
    elif data.client is None:
        raise Refusal(422, "client_required", gettext("Give client_id, or a client with at least a name."))
    details = (
        {
            "name": data.client.name,
            "phone": data.client.phone,
            "email": data.client.email,
            "new_client": data.client.new,
        }
        if data.client
        else {}
    )
    with _in_the_venues_words():
        booking = desk.book_for_client(
            venue=ws.venue,
            services=[by_id[i] for i in data.services],
            start=data.start,
            staff=staff,
            client=client,
            notes=data.notes,
            **details,
        )
    return 201, _fresh(ws, booking)


@contextlib.contextmanager
def _in_the_venues_words() -> Iterator[None]:
    """A refusal worded for the customer and for the venue (the clinical pathway's) answers the venue's staff in
    theirs, as the workspace pages do: 'Clara's Mesotherapy ...', not 'Your Mesotherapy ...'."""
    try:
        yield
    except WordedForVenue as exc:
        raise Refusal(exc.status, exc.code, for_venue(exc), **exc.extra) from None


@router.post(
    P + "/bookings",
    response={201: PartnerBookingOut},
    summary="Book a phone or walk-in visit (send an Idempotency-Key header to retry safely)",
)
def create_booking(request: HttpRequest, venue_id: Id, data: PartnerBookingIn) -> HttpResponse:
    """The same guard as online booking: 409 slot_taken with `alternatives`; no notice window or grid."""
    ws = api_workspace(request, venue_id, Perm.BOOKINGS)
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    digest = idempotency.fingerprint(request.method or "POST", request.path, request.body)
    status, body, replayed = idempotency.run_once(
        user=ws.user, key=key, digest=digest, action=lambda: _create(ws, data)
    )
    response = json_response(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _staff_or_422(ws: Workspace, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    found = Staff.objects.filter(venue=ws.venue, pk=staff_id).first()
    if found is None:
        raise Refusal(422, "unknown_staff", gettext("That staff member does not work here."))
    return found


@router.post(
    P + "/bookings/{booking_id}/move", response=PartnerBookingOut, summary="Move a booking (any time, same guard)"
)
def move_booking(request: HttpRequest, venue_id: Id, booking_id: Id, data: MoveIn) -> dict[str, Any]:
    ws = api_workspace(request, venue_id)
    booking = _booking(ws, booking_id)
    ws.require(Perm.BOOKINGS)
    staff = _staff_or_422(ws, data.staff_id)
    with _in_the_venues_words():
        booking_actions.reschedule_booking(booking=booking, start=data.start, staff=staff, actor=ws.user,
                                           by_venue=True)
    return _fresh(ws, booking)


@router.post(P + "/bookings/{booking_id}/cancel", response=PartnerBookingOut, summary="Cancel a booking, with a reason")
def cancel_booking(request: HttpRequest, venue_id: Id, booking_id: Id, data: ReasonIn) -> dict[str, Any]:
    ws = api_workspace(request, venue_id)
    booking = _booking(ws, booking_id)
    ws.require(Perm.BOOKINGS)
    booking_actions.cancel_booking(booking=booking, actor=ws.user, by_venue=True, reason=data.reason)
    return _fresh(ws, booking)


def _mark(request: HttpRequest, venue_id: int, booking_id: int, attended: bool) -> dict[str, Any]:
    ws = api_workspace(request, venue_id)
    booking = _booking(ws, booking_id)
    if not ws.may_mark(booking):
        raise Refusal(403, "forbidden", gettext("Your role does not allow marking this visit."))
    mark = attendance.mark_attended if attended else attendance.mark_no_show
    mark(booking=booking, actor=ws.user)
    return _fresh(ws, booking)


@router.post(P + "/bookings/{booking_id}/attended", response=PartnerBookingOut, summary="The client came")
def attended(request: HttpRequest, venue_id: Id, booking_id: Id) -> dict[str, Any]:
    return _mark(request, venue_id, booking_id, True)


@router.post(P + "/bookings/{booking_id}/no-show", response=PartnerBookingOut, summary="The client did not come")
def no_show(request: HttpRequest, venue_id: Id, booking_id: Id) -> dict[str, Any]:
    return _mark(request, venue_id, booking_id, False)


# Services, staff and shifts: the venue set-up routes, a second router under the same auth.
router.add_router("", venue_setup_router)
router.add_router("", credentials_router)
router.add_router("", week_router)
router.add_router("", venue_router)

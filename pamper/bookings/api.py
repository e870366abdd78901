"""JSON API: free slots, booking, the customer's bookings, cancel and reschedule.

Times go out as ISO 8601 in the venue's local time with its offset, and the
venue's zone is named beside them. Prices are strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from pamper.accounts.auth import bearer
from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock
from pamper.lib.dates import DiaryDate, VisitStart
from pamper.lib.fields import Id, Input
from pamper.lib.http import JSON, json_response
from pamper.lib.ids import id_from
from pamper.venues.models import Venue

from . import actions, hooks, idempotency, paying
from . import availability as av
from .localtime import to_minute_ceil
from .models import MAX_SERVICES, Booking, Status
from .present import availability_text, booking_json
from .schedule import load_schedule, load_services, spec_of

router = Router(tags=["bookings"])

MAX_RANGE_DAYS = 62


class SlotItemOut(Schema):
    service_id: int
    staff_id: int
    start: str
    end: str


class SlotOut(Schema):
    start: str = Field(description="ISO 8601 with the venue's UTC offset.")
    end: str
    staff_id: int = Field(description="Who would do the (first) service.")
    staff_ids: list[int] = Field(description="Everyone free for it (one service); the assigned person otherwise.")
    items: list[SlotItemOut]


class AvailabilityOut(Schema):
    venue_id: int
    timezone: str
    from_date: dt.date = Field(alias="from")
    to_date: dt.date = Field(alias="to")
    services: list[int]
    staff_id: int | None
    slot_minutes: int
    slots: list[SlotOut]


class AvailabilityQuery(Schema):
    services: str = Field(description="Service ids in visit order, comma-separated, e.g. 12,15.", max_length=200)
    from_date: DiaryDate | None = Field(None, alias="from",
                                        description="First local date (default: today at the venue).")
    to_date: DiaryDate | None = Field(
        None, alias="to", description=f"Last local date (default: 6 days later; at most {MAX_RANGE_DAYS} days).")
    staff: Id | None = Field(None, description="One staff member; leave out for anyone.")


def parse_ids(text: str) -> list[int]:
    """'12, 15' -> [12, 15]; Refusal 422 when empty, malformed or more than a visit allows."""
    ids = [id_from(p.strip()) for p in text.split(",") if p.strip()]
    if not ids or None in ids:
        raise Refusal(
            422, "invalid_services", gettext("Give service ids as numbers separated by commas, e.g. services=12,15.")
        )
    if len(ids) > MAX_SERVICES:
        raise Refusal(
            422,
            "too_many_services",
            gettext("A visit can have at most %(max_services)s services.") % {"max_services": MAX_SERVICES},
        )
    return [i for i in ids if i is not None]


def _venue_or_404(venue_id: int) -> None:
    if not Venue.objects.filter(pk=venue_id, is_published=True).exists():
        raise Refusal(404, "not_found", gettext("No such venue."))


def _unknown(ids: list[int], found: list[Any]) -> Refusal:
    missing = sorted(set(ids) - {s.id for s in found})
    return Refusal(
        422, "unknown_service", gettext("This venue does not offer those services online."), service_ids=missing
    )


def _range(venue: Venue, first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    first = first or clock.now().astimezone(venue.tz).date()
    last = last or first + dt.timedelta(days=6)
    if last < first:
        raise Refusal(422, "invalid_range", gettext("'to' is before 'from'."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise Refusal(
            422,
            "range_too_long",
            gettext("Ask for at most %(max_range_days)s days at a time.") % {"max_range_days": MAX_RANGE_DAYS},
        )
    return first, last


@router.get(
    "/venues/{venue_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: ErrorOut},
    summary="Free slots for one or more services back to back",
    by_alias=True,
)
def availability(request: HttpRequest, venue_id: Id, params: Query[AvailabilityQuery]) -> HttpResponse:
    """Slots on the venue's local dates `from`..`to` (at most 3 database queries, whatever the range)."""
    ids = parse_ids(params.services)
    venue, services = load_services(venue_id, ids, treatments=False)
    if venue is None or len(services) != len(ids):
        if venue is None:
            _venue_or_404(venue_id)
        raise _unknown(ids, services)
    first, last = _range(venue, params.from_date, params.to_date)
    now = clock.now()
    schedule = load_schedule(venue, set(ids), first, last, now, params.staff)
    if params.staff is not None and params.staff not in schedule.performs:
        raise Refusal(
            422, "unknown_staff", gettext("That staff member does not work here or does not perform these services.")
        )
    specs = [spec_of(s) for s in services]
    slots = av.find_slots(schedule, specs, first, last, to_minute_ceil(now), staff_id=params.staff)
    # Written exactly as AvailabilityOut documents it; re-validating a month of slots would cost more than finding them.
    return HttpResponse(availability_text(venue, first, last, ids, params.staff, slots), content_type=JSON)


# --- bookings -----------------------------------------------------------------------------------------


class BookingIn(Input):
    venue_id: Id
    services: list[Id] = Field(min_length=1, max_length=MAX_SERVICES, description="Service ids in visit order.")
    start: VisitStart = Field(description="ISO 8601 with offset, on the venue's slot grid.")
    staff_id: Id | None = Field(None, description="One staff member for every service; leave out for anyone.")
    notes: str = Field("", max_length=2000)


class BookingItemOut(Schema):
    service_id: int
    service_name: str
    staff_id: int
    staff_name: str
    start: str
    end: str
    price: str
    currency: str


class VenueRef(Schema):
    id: int
    name: str
    slug: str
    timezone: str


class PaymentOut(Schema):
    provider: str = Field(description="stripe")
    intent_id: str = Field(description="The PaymentIntent (pi_...), or for a card kept on file the SetupIntent.")
    client_secret: str = Field(description="For Stripe.js (confirmCardPayment / confirmCardSetup).")
    amount: str = Field(description="Charged now, in the currency's units with its decimals: '9.00', '500' in "
                                    "yen; '0.00' (or '0') for a card kept on file.")
    currency: str
    kind: str = Field(description="deposit, prepayment or card_on_file")
    publishable_key: str


class BookingOut(Schema):
    id: int
    status: str
    venue: VenueRef
    start: str
    end: str
    timezone: str
    total_price: str
    currency: str
    notes: str
    hold_expires_at: str | None
    cancel_reason: str = Field(
        description="Why it was cancelled, in the request's language when Pamper itself cancelled it.")
    cancel_cause: str = Field(description="Set when Pamper itself cancelled it: consultation_gone, patch_test_reaction "
                              "or customer_erased; empty for a reason a person gave.")
    cancel_deadline: str = Field(description="Until when the customer may cancel or move it online.")
    free_cancel_until: str = Field(description="Until when the customer may cancel it online for free: "
                                   "cancel_deadline, or 15 minutes after booking when that is later (a visit booked "
                                   "inside the venue's notice window may still be cancelled for those minutes); "
                                   "sooner when the payment terms keep a late-cancellation fee from an earlier hour "
                                   "(a deposit kept inside 48 hours: 48 hours before). Already past when nothing "
                                   "is free.")
    items: list[BookingItemOut]
    payment: PaymentOut | None = Field(
        None, description="Only when the booking waits for a payment (status pending_payment): what Stripe.js needs."
    )


class CancelIn(Input):
    reason: str = Field("", max_length=300)


class RescheduleIn(Input):
    start: VisitStart
    staff_id: Id | None = Field(None, description="Leave out to keep the staff member asked for (or anyone).")
    anyone: bool = Field(False, description="True to let anyone do it, dropping the staff member asked for.")


def _answer(request: HttpRequest, status: int, body: dict[str, Any], replayed: bool = False) -> HttpResponse:
    response = json_response(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _create(request: HttpRequest, data: BookingIn) -> tuple[int, dict[str, Any]]:
    customer = request.auth  # type: ignore[attr-defined]
    # The customer's client record at the venue comes in the same query (a returning customer's booking).
    venue, services = load_services(data.venue_id, data.services, customer_id=customer.pk)
    if venue is None or len(services) != len(data.services):
        if venue is None:
            _venue_or_404(data.venue_id)
        raise _unknown(data.services, services)
    quote = hooks.payment_quote(venue=venue, services=services)
    if quote is None:
        booking = actions.book_visit(
            venue=venue,
            services=services,
            start=data.start,
            customer=customer,
            client=venue.known_client,  # type: ignore[attr-defined]
            staff=data.staff_id,
            notes=data.notes.strip(),
        )
        return 201, booking_json(booking, booking.visit_items, booking.staff_names, fee_hours=0)
    # Paid (or a card kept) when booking: the slot is held in pending_payment while the customer pays.
    booking = paying.book_for_payment(
        venue=venue,
        services=services,
        start=data.start,
        customer=customer,
        staff=data.staff_id,
        notes=data.notes.strip(),
    )
    try:
        payment = hooks.start_payment(booking=booking, now=clock.now())
    except Refusal:
        actions.cancel_booking(booking=booking, actor=customer, notify=False)  # give the slot back at once
        raise
    # The terms just booked under say when a fee starts: no further read (test_statements counts them).
    return 201, booking_json(booking, booking.visit_items, booking.staff_names,
                             fee_hours=hooks.quote_fee_hours(quote)) | {"payment": payment}


@router.post(
    "/bookings",
    auth=bearer,
    response={201: BookingOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Book a visit (send an Idempotency-Key header to retry safely)",
)
def create_booking(request: HttpRequest, data: BookingIn) -> HttpResponse:
    """201 with the booking; 409 slot_taken with `alternatives`; 422 with a specific code."""
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    digest = idempotency.fingerprint(request.method or "POST", request.path, request.body)
    status, body, replayed = idempotency.run_once(
        user=request.auth,
        key=key,
        digest=digest,
        action=lambda: _create(request, data),  # type: ignore[attr-defined]
    )
    return _answer(request, status, body, replayed)


@router.get("/bookings", auth=bearer, response={200: list[BookingOut], 401: ErrorOut}, summary="My bookings")
def list_bookings(
    request: HttpRequest, when: str = Query("all", pattern="^(upcoming|past|all)$")
) -> list[dict[str, Any]]:
    """The signed-in customer's bookings: upcoming soonest first, past latest first (at most 200)."""
    now = clock.now()
    rows = Booking.objects.for_customer(request.auth).with_items().exclude(status=Status.EXPIRED)  # type: ignore[attr-defined]
    if when == "upcoming":
        rows = rows.filter(end__gte=now).order_by("start")
    elif when == "past":
        rows = rows.filter(end__lt=now).order_by("-start")
    else:
        rows = rows.order_by("-start")
    shown = list(rows[:200])
    fees = hooks.fee_hours_of(shown)  # the payment terms of all of them at once
    return [booking_json(b, fee_hours=fees.get(b.pk, 0)) for b in shown]


def _own(request: HttpRequest, booking_id: int) -> Booking:
    found = Booking.objects.for_customer(request.auth).with_items().filter(pk=booking_id).first()  # type: ignore[attr-defined]
    if found is None:
        raise Refusal(404, "not_found", gettext("No such booking."))
    return found


@router.get(
    "/bookings/{booking_id}", auth=bearer, response={200: BookingOut, 404: ErrorOut}, summary="One of my bookings"
)
def get_booking(request: HttpRequest, booking_id: Id) -> dict[str, Any]:
    return booking_json(_own(request, booking_id))


@router.post(
    "/bookings/{booking_id}/cancel",
    auth=bearer,
    response={200: BookingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Cancel one of my bookings (within the venue's notice window)",
)
def cancel(request: HttpRequest, booking_id: Id, data: CancelIn | None = None) -> dict[str, Any]:
    booking = actions.cancel_booking(
        booking=_own(request, booking_id),
        actor=request.auth,  # type: ignore[attr-defined]
        reason=data.reason if data else "",
    )
    return booking_json(_own(request, booking.pk))


@router.post(
    "/bookings/{booking_id}/reschedule",
    auth=bearer,
    response={200: BookingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Move one of my bookings (within the venue's notice window)",
)
def reschedule(request: HttpRequest, booking_id: Id, data: RescheduleIn) -> dict[str, Any]:
    booking = _own(request, booking_id)
    actions.reschedule_booking(
        booking=booking, start=data.start, staff=data.staff_id, keep_staff=not data.anyone, actor=request.auth
    )  # type: ignore[attr-defined]
    return booking_json(_own(request, booking_id))


__all__ = ["router"]

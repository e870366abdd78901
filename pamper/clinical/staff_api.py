"""JSON API for the venue side of clinical records: `/clinical/venues/{venue_id}/...`.

Only the venue's owner, managers and practitioners reach these, a
practitioner only for the clients they treat (clinical.access, the rule the
pages use too); anyone else (reception, other venues, customers, anonymous)
gets 404, whether the record is named by its client or by its own id. Every
read of health data is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from pamper.accounts.auth import bearer
from pamper.bookings.models import Booking
from pamper.bookings.present import booking_json
from pamper.clinical import access, actions, present
from pamper.clinical.api_auth import record_auth, user_of
from pamper.clinical.models import Consultation, QuestionnaireResponse, TreatmentSession
from pamper.clinical.photos import MAX_BYTES
from pamper.clinical.present import local
from pamper.clinical.queries import access_log_page, staff_at, treatment_at
from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock
from pamper.lib.dates import DiaryInstant, VisitStart
from pamper.lib.fields import Id, Input
from pamper.venues.models import Client, Service

router = Router(tags=["clinical"])


def _client(request: HttpRequest, venue_id: int, client_id: int) -> tuple[Client, str]:
    return access.client_for_staff(user_of(request), venue_id, client_id)


@router.get("/clinical/venues/{venue_id}/clients/{client_id}", auth=record_auth, response={200: dict, 404: ErrorOut},
            summary="A client's clinical record (logged)")
def client_record(request: HttpRequest, venue_id: Id, client_id: Id) -> dict[str, Any]:
    client, role = _client(request, venue_id, client_id)
    access.log_read(user=user_of(request), role=role, venue=client.venue, client=client, record_type="client_record",
                    record_id=client.pk, now=clock.now())
    return present.client_record(client)


class PatchTestIn(Input):
    treatment_id: Id
    booking_id: Id | None = Field(None, description="The consultation booking; or give client_id and applied_at.")
    client_id: Id | None = None
    applied_at: DiaryInstant | None = Field(
        None, description="When the test was applied (default: the consultation's end).")
    outcome: str = Field(description="passed (no reaction) | reaction")
    read_at: DiaryInstant
    product: str = Field("", max_length=200)
    batch: str = Field("", max_length=100)
    notes: str = Field("", max_length=4000)
    late_reason: str = Field("", max_length=1000, description="Why, when the result was read more than a day ago "
                             "(kept in the venue's audit log).")


class PatchTestOut(Schema):
    consultation_id: int
    outcome: str
    confirmed_booking_ids: list[int]
    cancelled_booking_ids: list[int]
    still_waiting_booking_ids: list[int]


@router.post("/clinical/venues/{venue_id}/patch-tests", auth=bearer,
             response={201: PatchTestOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Record a consultation / patch-test result")
def record_patch_test(request: HttpRequest, venue_id: Id, data: PatchTestIn) -> Status:
    staff = access.staff_access(user_of(request), venue_id)
    venue = staff.venue
    treatment = treatment_at(venue, data.treatment_id)
    booking = client = None
    if data.booking_id is not None:
        booking = Booking.objects.filter(pk=data.booking_id, venue=venue, client__in=staff.record_clients()).first()
        if booking is None:
            raise Refusal(404, "not_found", gettext("No such booking at this venue."))
    elif data.client_id is not None:
        client = staff.client(data.client_id)
    result = actions.record_patch_test(
        by=user_of(request), venue=venue, treatment=treatment, outcome=data.outcome, read_at=data.read_at,
        applied_at=data.applied_at, booking=booking, client=client, product=data.product, batch=data.batch,
        notes=data.notes, late_reason=data.late_reason, now=clock.now(),
    )
    return Status(201, {"consultation_id": result.consultation.pk, "outcome": result.consultation.outcome,
                 "confirmed_booking_ids": result.confirmed, "cancelled_booking_ids": result.cancelled,
                 "still_waiting_booking_ids": result.still_waiting})


class ReasonIn(Input):
    reason: str = Field(max_length=1000)


@router.post("/clinical/venues/{venue_id}/patch-tests/{consultation_id}/clear", auth=bearer,
             response={200: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Lift the booking block after a reaction")
def clear_reaction(request: HttpRequest, venue_id: Id, consultation_id: Id, data: ReasonIn) -> dict[str, Any]:
    staff = access.staff_access(user_of(request), venue_id)
    consultation = Consultation.objects.filter(pk=consultation_id, venue=staff.venue, client__in=staff.record_clients()
                                               ).select_related("treatment").first()
    if consultation is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    actions.clear_reaction(by=user_of(request), consultation=consultation, reason=data.reason, now=clock.now())
    return {"consultation_id": consultation.pk, "blocks_booking": consultation.blocks_booking}


class ReviewIn(Input):
    decision: str = Field(description="cleared | declined")
    note: str = Field("", max_length=4000)


@router.post("/clinical/venues/{venue_id}/questionnaires/{response_id}/review", auth=bearer,
             response={200: dict, 404: ErrorOut, 422: ErrorOut}, summary="Review flagged questionnaire answers")
def review_questionnaire(request: HttpRequest, venue_id: Id, response_id: Id, data: ReviewIn) -> dict[str, Any]:
    staff = access.staff_access(user_of(request), venue_id)
    response = QuestionnaireResponse.objects.filter(pk=response_id, client__in=staff.record_clients()).select_related(
        "client__venue").first()
    if response is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    actions.review_questionnaire(by=user_of(request), response=response, decision=data.decision, note=data.note,
                                 now=clock.now())
    return {"id": response.pk, "review_status": response.review_status}


class CourseIn(Input):
    treatment_id: Id
    planned_sessions: int = Field(ge=1, le=50)
    interval_days: int = Field(ge=0, le=365)


@router.put("/clinical/venues/{venue_id}/clients/{client_id}/course", auth=bearer,
            response={200: dict, 404: ErrorOut, 422: ErrorOut}, summary="Plan a client's course of sessions")
def set_course(request: HttpRequest, venue_id: Id, client_id: Id, data: CourseIn) -> dict[str, Any]:
    client, _ = _client(request, venue_id, client_id)
    treatment = treatment_at(client.venue, data.treatment_id)
    course = actions.set_course(by=user_of(request), client=client, treatment=treatment,
                                planned_sessions=data.planned_sessions, interval_days=data.interval_days,
                                now=clock.now())
    return present.course_dict(course)


class SessionIn(Input):
    treatment_id: Id
    booking_id: Id | None = None
    performed_at: DiaryInstant | None = None
    notes: str = Field("", max_length=4000)
    late_reason: str = Field("", max_length=1000, description="Why, when the session took place more than a day "
                             "ago (kept in the venue's audit log).")


@router.post("/clinical/venues/{venue_id}/clients/{client_id}/sessions", auth=bearer,
             response={201: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}, summary="Record a treatment session")
def record_session(request: HttpRequest, venue_id: Id, client_id: Id, data: SessionIn) -> Status:
    client, _ = _client(request, venue_id, client_id)
    treatment = treatment_at(client.venue, data.treatment_id)
    booking = None
    if data.booking_id is not None:
        booking = Booking.objects.filter(pk=data.booking_id, client=client).first()
        if booking is None:
            raise Refusal(404, "not_found", gettext("No such booking for this client."))
    session = actions.record_session(by=user_of(request), client=client, treatment=treatment, booking=booking,
                                     performed_at=data.performed_at, notes=data.notes, late_reason=data.late_reason,
                                     now=clock.now())
    return Status(201, {**present.session_dict(session), "course": present.course_dict(session.course)})


@router.post("/clinical/venues/{venue_id}/clients/{client_id}/photos", auth=bearer,
             response={201: dict, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
             summary="Upload a progress photo (JPEG, PNG or WebP; at most 10 MB and 40 megapixels)")
def upload_photo(request: HttpRequest, venue_id: Id, client_id: Id, treatment_id: Form[Id],
                 file: File[UploadedFile], angle: Form[str] = "front", session_id: Form[Id | None] = None
                 ) -> Status:
    client, _ = _client(request, venue_id, client_id)
    treatment = treatment_at(client.venue, treatment_id)
    session = None
    if session_id is not None:
        session = TreatmentSession.objects.filter(pk=session_id, course__client=client).select_related("course").first()
        if session is None:
            raise Refusal(404, "not_found", gettext("No such session for this client."))
    photo = actions.upload_photo(by=user_of(request), client=client, treatment=treatment, data=read_upload(file),
                                 angle=angle, session=session, now=clock.now())
    return Status(201, present.photo_dict(photo))


def read_upload(upload: Any) -> bytes:
    """The uploaded bytes, refusing anything over the limit before reading it into memory."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise Refusal(413, "photo_too_large", gettext("That file is too large: photos may be at most %(megabytes)s MB.")
                      % {"megabytes": MAX_BYTES // 2**20})
    return upload.read(MAX_BYTES + 1)


@router.post(
    "/clinical/venues/{venue_id}/checkins/{session_id}/resolve",
    auth=bearer,
    response={200: dict, 404: ErrorOut},
    summary="Mark a reported side effect as followed up",
)
def resolve_checkin(request: HttpRequest, venue_id: Id, session_id: Id) -> dict[str, Any]:
    staff = access.staff_access(user_of(request), venue_id)
    session = (
        TreatmentSession.objects.filter(
            pk=session_id, course__venue=staff.venue, course__client__in=staff.record_clients()
        )
        .select_related("course__venue")
        .first()
    )
    if session is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    actions.resolve_checkin_flag(by=user_of(request), session=session, now=clock.now())
    return {"session_id": session.pk, "needs_follow_up": session.needs_follow_up}


class OverrideBookingIn(Input):
    client_id: Id
    services: list[Id] = Field(min_length=1, max_length=5)
    start: VisitStart
    staff_id: Id | None = None
    reason: str = Field(description="Why the pathway rule is set aside (kept in the clinical record).", max_length=2000)


@router.post(
    "/clinical/venues/{venue_id}/override-bookings",
    auth=bearer,
    response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Book a treatment for a client past a pathway rule, with the practitioner's reason (logged)",
)
def override_booking(request: HttpRequest, venue_id: Id, data: OverrideBookingIn) -> Status:
    client, _ = _client(request, venue_id, data.client_id)
    venue = client.venue
    services = [Service.objects.filter(pk=i, venue=venue, is_active=True).first() for i in data.services]
    if any(s is None for s in services):
        raise Refusal(422, "unknown_service", gettext("This venue does not offer that service."))
    booking = actions.book_past_pathway(
        by=user_of(request),
        client=client,
        services=services,
        start=data.start,
        reason=data.reason,
        staff=staff_at(venue, data.staff_id),
        now=clock.now(),
    )
    return Status(201, booking_json(Booking.objects.with_items().get(pk=booking.pk)))


class AccessLogPage(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next (older) page; null on the last.")


@router.get(
    "/clinical/venues/{venue_id}/access-log",
    auth=record_auth,
    response={200: AccessLogPage, 400: ErrorOut, 404: ErrorOut},
    summary="Who read which health record, when, newest first, page by page (the venue owner only)",
)
def access_log(request: HttpRequest, venue_id: Id, limit: int = Query(200, ge=1, le=1000),
               cursor: str | None = Query(None, max_length=200)) -> dict[str, Any]:
    venue = access.venue_for_owner(user_of(request), venue_id)
    page = access_log_page(venue.clinical_access_log.select_related("user", "client"),
                           bound_to=["venue", venue.pk], cursor=cursor, limit=limit)
    items = [
        {
            "at": local(r.at, venue),
            "user": r.user.email if r.user else None,
            "role": r.role,
            "client_id": r.client_id,
            "client": r.client.name if r.client else None,
            "record_type": r.record_type,
            "record_id": r.record_id,
            "action": r.action,
        }
        for r in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}

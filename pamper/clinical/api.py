"""JSON API for the clinical pathway and health records.

Customer side (`/pathway/...`, `/me/health/...`): where they stand on a
treatment's pathway, the medical questionnaire and consent, the one checkout
that books the consultation and the treatment together, their records,
photos, check-ins, export and erasure.

Venue side (`/clinical/venues/{venue_id}/...`): only the venue's owner,
managers and practitioners; anyone else gets 404. Every read of health data
is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from pamper.accounts.models import User
from pamper.api import ApiError, api, bearer
from pamper.catalog.models import Treatment
from pamper.clinical import access, actions, documents, pathway, privacy, records, slots
from pamper.clinical.models import (
    Consultation,
    Course,
    PhotoUse,
    QuestionnaireResponse,
    TreatmentSession,
)
from pamper.lib import clock
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

router = Router(tags=["clinical"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    code: str
    message: str


def _anyone(request: HttpRequest) -> AnonymousUser:
    """Lets an unauthenticated request reach record endpoints, which then answer 404 (never 401 or 403)."""
    return AnonymousUser()


# Record and photo URLs answer 404 to anyone who may not see them, signed in or not.
record_auth = [bearer, _anyone]


def _user(request: HttpRequest) -> User:
    """The signed-in user; a 404 for anonymous requests on record URLs."""
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False):
        raise ApiError(404, "not_found", "Not found.")
    return user  # type: ignore[no-any-return]


def _local(instant: dt.datetime | None, venue: Venue) -> str | None:
    return instant.astimezone(venue.tz).isoformat() if instant else None


def _venue(venue_id: int) -> Venue:
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise ApiError(404, "not_found", "No such venue.")
    return venue


def _treatment_at(venue: Venue, treatment_id: int) -> Treatment:
    """A treatment the venue offers (404 otherwise)."""
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=venue, services__is_active=True).first()
    if treatment is None:
        raise ApiError(404, "not_found", "This venue does not offer that treatment.")
    return treatment


# ---------------------------------------------------------------- pathway state


class PathwayOut(Schema):
    venue_id: int
    treatment_id: int
    treatment: str
    status: str = Field(description="not_needed | ready | needs_consultation | awaiting_result | review | declined "
                                    "| reaction")
    consultation_required: bool
    lead_hours: int
    validity_days: int
    consultation_service_id: int | None
    valid_until: str | None
    earliest_treatment: str | None
    questionnaire_done: bool
    consent_signed: bool


def state_json(state: pathway.PathwayState, venue: Venue, client: Client | None) -> dict[str, Any]:
    treatment = state.treatment
    return {
        "venue_id": venue.pk, "treatment_id": treatment.pk, "treatment": treatment.name, "status": state.status,
        "consultation_required": treatment.has_pathway, "lead_hours": treatment.patch_test_lead_hours or 0,
        "validity_days": pathway.validity(treatment).days,
        "consultation_service_id": state.consultation_service.pk if state.consultation_service else None,
        "valid_until": _local(state.valid_until, venue), "earliest_treatment": _local(state.earliest_treatment, venue),
        "questionnaire_done": state.questionnaire_done,
        "consent_signed": bool(client and actions.has_consent(client, treatment)),
    }


@router.get("/pathway", auth=bearer, response={200: PathwayOut, 404: ErrorOut},
            summary="Where I stand on a treatment's pathway at a venue")
def pathway_status(request: HttpRequest, venue_id: Id, treatment_id: Id) -> dict[str, Any]:
    venue = _venue(venue_id)
    treatment = _treatment_at(venue, treatment_id)
    client = pathway.client_for(_user(request), venue)
    state = pathway.pathway_state(client=client, venue=venue, treatment=treatment, now=clock.now())
    return state_json(state, venue, client)


# ---------------------------------------------------------------- questionnaire and consent


class QuestionOut(Schema):
    slug: str
    kind: str = Field(description="yesno: answer true/false; a true flags a contraindication. text: free text.")
    label: str
    question: str


class QuestionnaireOut(Schema):
    treatment_id: int
    version: int
    questions: list[QuestionOut]


class AnswersIn(Schema):
    venue_id: Id
    treatment_id: Id
    version: int | None = Field(None, description="The version answered; a stale one is refused with 409.")
    answers: dict[str, bool | str | None]


class ResponseOut(Schema):
    id: int
    version: int
    flagged: bool
    review_status: str
    message: str


@router.get("/pathway/questionnaire", auth=bearer, response={200: QuestionnaireOut, 404: ErrorOut},
            summary="The medical questionnaire for a treatment")
def get_questionnaire(request: HttpRequest, venue_id: Id, treatment_id: Id) -> dict[str, Any]:
    treatment = _treatment_at(_venue(venue_id), treatment_id)
    questionnaire = documents.current_questionnaire(treatment)
    return {"treatment_id": treatment.pk, "version": questionnaire.version, "questions": questionnaire.questions}


@router.post("/pathway/questionnaire", auth=bearer, response={201: ResponseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Answer the medical questionnaire (answers are encrypted)")
def post_questionnaire(request: HttpRequest, data: AnswersIn) -> Status:
    venue = _venue(data.venue_id)
    treatment = _treatment_at(venue, data.treatment_id)
    response = actions.submit_questionnaire(user=_user(request), venue=venue, treatment=treatment,
                                            answers=data.answers, version=data.version, now=clock.now())
    message = ("Thank you. One or more answers need a practitioner's review before this treatment can be booked "
               "online; the venue has been asked to look at them." if response.flagged else
               "Thank you: your answers are saved for the practitioner.")
    return Status(201, {"id": response.pk, "version": response.questionnaire.version, "flagged": response.flagged,
                 "review_status": response.review_status, "message": message})


class ConsentTextOut(Schema):
    treatment_id: int
    version: int
    body: str
    signed: bool


class ConsentIn(Schema):
    venue_id: Id
    treatment_id: Id
    version: int | None = None
    typed_name: str = Field(max_length=150)


class ConsentOut(Schema):
    id: int
    version: int
    signed_at: str


@router.get("/pathway/consent", auth=bearer, response={200: ConsentTextOut, 404: ErrorOut},
            summary="The consent form for a treatment")
def get_consent(request: HttpRequest, venue_id: Id, treatment_id: Id) -> dict[str, Any]:
    venue = _venue(venue_id)
    treatment = _treatment_at(venue, treatment_id)
    text = documents.current_consent_text(treatment)
    client = pathway.client_for(_user(request), venue)
    return {"treatment_id": treatment.pk, "version": text.version, "body": text.body,
            "signed": bool(client and actions.has_consent(client, treatment))}


@router.post("/pathway/consent", auth=bearer, response={201: ConsentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Sign the consent form by typing your name")
def post_consent(request: HttpRequest, data: ConsentIn) -> Status:
    venue = _venue(data.venue_id)
    treatment = _treatment_at(venue, data.treatment_id)
    now = clock.now()
    client = actions.ensure_client(user=_user(request), venue=venue, now=now)
    consent = actions.sign_consent(user=_user(request), client=client, treatment=treatment, version=data.version,
                                   typed_name=data.typed_name, now=now)
    return Status(201, {"id": consent.pk, "version": consent.text.version, "signed_at": _local(consent.signed_at, venue)})


# ---------------------------------------------------------------- the one checkout


class SlotItemOut(Schema):
    service_id: int
    staff_id: int
    start: str
    end: str


class SlotOut(Schema):
    start: str
    end: str
    staff_id: int
    staff_ids: list[int]
    items: list[SlotItemOut]


class TreatmentSlotsOut(Schema):
    venue_id: int
    timezone: str
    service_id: int
    earliest_start: str = Field(description="Consultation end plus the patch-test lead time.")
    slots: list[SlotOut]


def _service(venue: Venue, service_id: int, kind: str | None = None) -> Service:
    service = Service.objects.filter(pk=service_id, venue=venue, is_active=True, online_bookable=True).select_related(
        "treatment").first()
    if service is None or (kind and service.kind != kind):
        raise ApiError(422, "unknown_service", "This venue does not offer that service online.")
    return service


@router.get("/pathway/treatment-slots", auth=bearer, response={200: TreatmentSlotsOut, 404: ErrorOut, 422: ErrorOut},
            summary="Treatment slots far enough after a chosen consultation slot")
def treatment_slots(request: HttpRequest, venue_id: Id, service_id: Id, consultation_start: dt.datetime,
                    days: int = Query(14, ge=1, le=31), staff_id: Id | None = None) -> dict[str, Any]:
    """Only slots starting at least the lead time after the consultation ends."""
    venue = _venue(venue_id)
    service = _service(venue, service_id, ServiceKind.TREATMENT)
    if consultation_start.tzinfo is None:
        raise ApiError(422, "invalid_start", "Give consultation_start with its UTC offset.")
    earliest, found = slots.treatment_slots_after(venue=venue, service=service, consultation_start=consultation_start,
                                                  now=clock.now(), days=days, staff_id=staff_id)
    return {"venue_id": venue.pk, "timezone": venue.timezone, "service_id": service.pk,
            "earliest_start": _local(earliest, venue), "slots": found}


class PathwayBookingIn(Schema):
    venue_id: Id
    treatment_service_id: Id = Field(description="The treatment (its consultation service is found from it).")
    consultation_start: dt.datetime
    treatment_start: dt.datetime
    consultation_staff_id: Id | None = None
    treatment_staff_id: Id | None = None
    notes: str = Field("", max_length=2000)


def _staff(venue: Venue, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    found = Staff.objects.filter(pk=staff_id, venue=venue, is_active=True).first()
    if found is None:
        raise ApiError(422, "unknown_staff", "That staff member does not work here.")
    return found


def _book_pathway(request: HttpRequest, data: PathwayBookingIn) -> tuple[int, dict[str, Any]]:
    from pamper.bookings.api import booking_json
    from pamper.bookings.models import Booking

    venue = _venue(data.venue_id)
    service = _service(venue, data.treatment_service_id, ServiceKind.TREATMENT)
    booked = actions.book_pathway(
        user=_user(request), venue=venue, treatment_service=service, consultation_start=data.consultation_start,
        treatment_start=data.treatment_start, consultation_staff=_staff(venue, data.consultation_staff_id),
        treatment_staff=_staff(venue, data.treatment_staff_id), notes=data.notes.strip(), now=clock.now(),
    )
    rows = Booking.objects.select_related("venue").prefetch_related("items__service", "items__staff")
    return 201, {"consultation": booking_json(rows.get(pk=booked.consultation.pk)),
                 "treatment": booking_json(rows.get(pk=booked.treatment.pk))}


@router.post("/pathway/bookings", auth=bearer, response={201: dict, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Book the consultation and patch test and the treatment together (one atomic request)")
def book_consultation_and_treatment(request: HttpRequest, data: PathwayBookingIn) -> HttpResponse:
    """201 {consultation, treatment}: the treatment waits in status awaiting_patch_test. Both or neither.

    Send an Idempotency-Key header to retry safely.
    """
    from pamper.bookings import idempotency

    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    digest = idempotency.fingerprint(request.method or "POST", request.path, request.body)
    status, body, replayed = idempotency.run_once(user=_user(request), key=key, digest=digest,
                                                  action=lambda: _book_pathway(request, data))
    response = api.create_response(request, body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


# ---------------------------------------------------------------- the customer's records


@router.get("/me/health", auth=bearer, response={200: dict, 401: ErrorOut},
            summary="My health records at every venue (every read is logged)")
def my_health(request: HttpRequest) -> dict[str, Any]:
    user, now = _user(request), clock.now()
    venues = []
    for client in access.customer_clients(user):
        access.log_read(user=user, role=access.CUSTOMER, venue=client.venue, client=client,
                        record_type="client_record", record_id=client.pk, now=now)
        venues.append(records.client_record(client))
    return {"venues": venues}


@router.get("/me/health/export", auth=bearer, summary="Download all my data: JSON plus photos, in a zip")
def my_export(request: HttpRequest) -> HttpResponse:
    data = privacy.export_archive(user=_user(request), now=clock.now())
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="pamper-health-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


class EraseIn(Schema):
    confirm: str = Field(description='Type "ERASE" to confirm.', max_length=20)


@router.post("/me/health/erase", auth=bearer, response={200: dict, 401: ErrorOut, 422: ErrorOut},
             summary="Erase my health data and photos; anonymise my bookings")
def my_erase(request: HttpRequest, data: EraseIn) -> dict[str, Any]:
    if data.confirm != "ERASE":
        raise ApiError(422, "confirm_required", 'Send confirm: "ERASE" to erase your health data for good.')
    return {"erased": privacy.erase_health_data(user=_user(request), now=clock.now())}


class CheckinIn(Schema):
    side_effect: bool = Field(description="True when something has bothered you since the session.")
    note: str = Field("", max_length=2000)


def _own_session(user: User, session_id: int) -> TreatmentSession:
    session = TreatmentSession.objects.filter(pk=session_id, course__client__user=user).select_related(
        "course__venue", "course__client").first()
    if session is None:
        raise ApiError(404, "not_found", "Not found.")
    return session


@router.post("/me/health/checkins/{session_id}", auth=record_auth, response={200: dict, 404: ErrorOut, 409: ErrorOut},
             summary="Answer the check-in after a session")
def my_checkin(request: HttpRequest, session_id: Id, data: CheckinIn) -> dict[str, Any]:
    session = actions.submit_checkin(user=_user(request), session=_own_session(_user(request), session_id),
                                     side_effect=data.side_effect, note=data.note, now=clock.now())
    message = ("Thank you. The practitioner has been asked to get in touch about it." if session.flagged
               else "Thank you: glad it went well.")
    return {"session_id": session.pk, "flagged": session.flagged, "message": message}


class PhotoUseIn(Schema):
    use: str = Field(description="clinical | shown | marketing")


def _own_photo(request: HttpRequest, photo_id: int):  # type: ignore[no-untyped-def]
    photo, role = access.photo_for(_user(request), photo_id)
    if role != access.CUSTOMER:
        raise ApiError(404, "not_found", "Not found.")
    return photo


@router.patch("/me/health/photos/{photo_id}", auth=record_auth, response={200: dict, 404: ErrorOut, 422: ErrorOut},
              summary="Choose what one of my photos may be used for")
def my_photo_use(request: HttpRequest, photo_id: Id, data: PhotoUseIn) -> dict[str, Any]:
    photo = actions.set_photo_use(user=_user(request), photo=_own_photo(request, photo_id), use=data.use)
    return {"id": photo.pk, "use": photo.use, "use_label": PhotoUse(photo.use).label}


@router.delete("/me/health/photos/{photo_id}", auth=record_auth, response={204: None, 404: ErrorOut},
               summary="Withdraw one of my photos (it is destroyed)")
def my_photo_withdraw(request: HttpRequest, photo_id: Id) -> Status:
    actions.withdraw_photo(user=_user(request), photo=_own_photo(request, photo_id), now=clock.now())
    return Status(204, None)


@router.get("/clinical/photos/{photo_id}", auth=record_auth, response={200: None, 404: ErrorOut},
            summary="A progress photo (its customer, or the venue's clinical staff; every view is logged)")
def photo_bytes(request: HttpRequest, photo_id: Id) -> HttpResponse:
    from pamper.clinical.views import photo_response

    photo, role = access.photo_for(_user(request), photo_id)
    return photo_response(photo, _user(request), role, clock.now())


# ---------------------------------------------------------------- the venue's side


def _client(request: HttpRequest, venue_id: int, client_id: int) -> tuple[Client, str]:
    return access.client_for_staff(_user(request), venue_id, client_id)


@router.get("/clinical/venues/{venue_id}/clients/{client_id}", auth=record_auth, response={200: dict, 404: ErrorOut},
            summary="A client's clinical record (logged)")
def client_record(request: HttpRequest, venue_id: Id, client_id: Id) -> dict[str, Any]:
    client, role = _client(request, venue_id, client_id)
    access.log_read(user=_user(request), role=role, venue=client.venue, client=client, record_type="client_record",
                    record_id=client.pk, now=clock.now())
    return records.client_record(client)


class PatchTestIn(Schema):
    treatment_id: Id
    booking_id: Id | None = Field(None, description="The consultation booking; or give client_id and applied_at.")
    client_id: Id | None = None
    applied_at: dt.datetime | None = Field(None, description="When the test was applied (default: the consultation's end).")
    outcome: str = Field(description="passed (no reaction) | reaction")
    read_at: dt.datetime
    product: str = Field("", max_length=200)
    batch: str = Field("", max_length=100)
    notes: str = Field("", max_length=4000)


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
    from pamper.bookings.models import Booking

    venue, _role = access.venue_for_staff(_user(request), venue_id)
    treatment = _treatment_at(venue, data.treatment_id)
    booking = client = None
    if data.booking_id is not None:
        booking = Booking.objects.filter(pk=data.booking_id, venue=venue).first()
        if booking is None:
            raise ApiError(404, "not_found", "No such booking at this venue.")
    elif data.client_id is not None:
        client, _ = _client(request, venue_id, data.client_id)
    result = actions.record_patch_test(
        by=_user(request), venue=venue, treatment=treatment, outcome=data.outcome, read_at=data.read_at,
        applied_at=data.applied_at, booking=booking, client=client, product=data.product, batch=data.batch,
        notes=data.notes, now=clock.now(),
    )
    return Status(201, {"consultation_id": result.consultation.pk, "outcome": result.consultation.outcome,
                 "confirmed_booking_ids": result.confirmed, "cancelled_booking_ids": result.cancelled,
                 "still_waiting_booking_ids": result.still_waiting})


class ReasonIn(Schema):
    reason: str = Field(max_length=1000)


@router.post("/clinical/venues/{venue_id}/patch-tests/{consultation_id}/clear", auth=bearer,
             response={200: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Lift the booking block after a reaction")
def clear_reaction(request: HttpRequest, venue_id: Id, consultation_id: Id, data: ReasonIn) -> dict[str, Any]:
    venue, _ = access.venue_for_staff(_user(request), venue_id)
    consultation = Consultation.objects.filter(pk=consultation_id, venue=venue).select_related("treatment").first()
    if consultation is None:
        raise ApiError(404, "not_found", "Not found.")
    actions.clear_reaction(by=_user(request), consultation=consultation, reason=data.reason, now=clock.now())
    return {"consultation_id": consultation.pk, "blocks_booking": consultation.blocks_booking}


class ReviewIn(Schema):
    decision: str = Field(description="cleared | declined")
    note: str = Field("", max_length=4000)


@router.post("/clinical/venues/{venue_id}/questionnaires/{response_id}/review", auth=bearer,
             response={200: dict, 404: ErrorOut, 422: ErrorOut}, summary="Review flagged questionnaire answers")
def review_questionnaire(request: HttpRequest, venue_id: Id, response_id: Id, data: ReviewIn) -> dict[str, Any]:
    venue, _ = access.venue_for_staff(_user(request), venue_id)
    response = QuestionnaireResponse.objects.filter(pk=response_id, client__venue=venue).select_related(
        "client__venue").first()
    if response is None:
        raise ApiError(404, "not_found", "Not found.")
    actions.review_questionnaire(by=_user(request), response=response, decision=data.decision, note=data.note,
                                 now=clock.now())
    return {"id": response.pk, "review_status": response.review_status}


class CourseIn(Schema):
    treatment_id: Id
    planned_sessions: int = Field(ge=1, le=50)
    interval_days: int = Field(ge=0, le=365)


@router.put("/clinical/venues/{venue_id}/clients/{client_id}/course", auth=bearer,
            response={200: dict, 404: ErrorOut, 422: ErrorOut}, summary="Plan a client's course of sessions")
def set_course(request: HttpRequest, venue_id: Id, client_id: Id, data: CourseIn) -> dict[str, Any]:
    client, _ = _client(request, venue_id, client_id)
    treatment = _treatment_at(client.venue, data.treatment_id)
    course = actions.set_course(by=_user(request), client=client, treatment=treatment,
                                planned_sessions=data.planned_sessions, interval_days=data.interval_days, now=clock.now())
    return records.course_dict(course)


class SessionIn(Schema):
    treatment_id: Id
    booking_id: Id | None = None
    performed_at: dt.datetime | None = None
    notes: str = Field("", max_length=4000)


@router.post("/clinical/venues/{venue_id}/clients/{client_id}/sessions", auth=bearer,
             response={201: dict, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}, summary="Record a treatment session")
def record_session(request: HttpRequest, venue_id: Id, client_id: Id, data: SessionIn) -> Status:
    from pamper.bookings.models import Booking

    client, _ = _client(request, venue_id, client_id)
    treatment = _treatment_at(client.venue, data.treatment_id)
    booking = None
    if data.booking_id is not None:
        booking = Booking.objects.filter(pk=data.booking_id, client=client).first()
        if booking is None:
            raise ApiError(404, "not_found", "No such booking for this client.")
    now = clock.now()
    session = actions.record_session(by=_user(request), client=client, treatment=treatment, booking=booking,
                                     performed_at=data.performed_at or now, notes=data.notes, now=now)
    return Status(201, {**records.session_dict(session), "course": records.course_dict(session.course)})


@router.post("/clinical/venues/{venue_id}/clients/{client_id}/photos", auth=bearer,
             response={201: dict, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
             summary="Upload a progress photo (JPEG, PNG or WebP; at most 10 MB and 40 megapixels)")
def upload_photo(request: HttpRequest, venue_id: Id, client_id: Id, treatment_id: Form[Id],
                 file: File[UploadedFile], angle: Form[str] = "front", session_id: Form[Id | None] = None
                 ) -> Status:
    client, _ = _client(request, venue_id, client_id)
    treatment = _treatment_at(client.venue, treatment_id)
    session = None
    if session_id is not None:
        session = TreatmentSession.objects.filter(pk=session_id, course__client=client).select_related("course").first()
        if session is None:
            raise ApiError(404, "not_found", "No such session for this client.")
    photo = actions.upload_photo(by=_user(request), client=client, treatment=treatment, data=read_upload(file),
                                 angle=angle, session=session, now=clock.now())
    return Status(201, records.photo_dict(photo))


def read_upload(upload: Any) -> bytes:
    """The uploaded bytes, refusing anything over the limit before reading it into memory."""
    from pamper.clinical.photos import MAX_BYTES

    if upload.size is not None and upload.size > MAX_BYTES:
        raise ApiError(413, "photo_too_large", f"That file is too large: photos may be at most {MAX_BYTES // 2**20} MB.")
    return upload.read(MAX_BYTES + 1)


@router.post("/clinical/venues/{venue_id}/checkins/{session_id}/resolve", auth=bearer,
             response={200: dict, 404: ErrorOut}, summary="Mark a reported side effect as followed up")
def resolve_checkin(request: HttpRequest, venue_id: Id, session_id: Id) -> dict[str, Any]:
    venue, _ = access.venue_for_staff(_user(request), venue_id)
    session = TreatmentSession.objects.filter(pk=session_id, course__venue=venue).select_related("course__venue").first()
    if session is None:
        raise ApiError(404, "not_found", "Not found.")
    actions.resolve_checkin_flag(by=_user(request), session=session, now=clock.now())
    return {"session_id": session.pk, "needs_follow_up": session.needs_follow_up}


class OverrideBookingIn(Schema):
    client_id: Id
    services: list[Id] = Field(min_length=1, max_length=5)
    start: dt.datetime
    staff_id: Id | None = None
    reason: str = Field(description="Why the pathway rule is set aside (kept in the clinical record).", max_length=2000)


@router.post("/clinical/venues/{venue_id}/override-bookings", auth=bearer,
             response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Book a treatment for a client past a pathway rule, with the practitioner's reason (logged)")
def override_booking(request: HttpRequest, venue_id: Id, data: OverrideBookingIn) -> Status:
    from pamper.bookings.actions import book_visit
    from pamper.bookings.api import booking_json
    from pamper.bookings.models import Booking, Source

    client, _ = _client(request, venue_id, data.client_id)
    venue = client.venue
    services = [Service.objects.filter(pk=i, venue=venue, is_active=True).first() for i in data.services]
    if any(s is None for s in services):
        raise ApiError(422, "unknown_service", "This venue does not offer that service.")
    actions.check_override_start(data.start, clock.now())
    booking = book_visit(venue=venue, services=services, start=data.start, client=client,
                         staff=_staff(venue, data.staff_id), source=Source.PARTNER, now=clock.now(),
                         clinical_override=pathway.Override(by=_user(request), reason=data.reason, client=client))
    rows = Booking.objects.select_related("venue").prefetch_related("items__service", "items__staff")
    return Status(201, booking_json(rows.get(pk=booking.pk)))


@router.get("/clinical/venues/{venue_id}/access-log", auth=record_auth, response={200: list[dict], 404: ErrorOut},
            summary="Who read which health record, when (the venue owner only)")
def access_log(request: HttpRequest, venue_id: Id, limit: int = Query(200, ge=1, le=1000)) -> list[dict[str, Any]]:
    venue = access.venue_for_owner(_user(request), venue_id)
    rows = venue.clinical_access_log.select_related("user", "client")[:limit]
    return [{"at": _local(r.at, venue), "user": r.user.email if r.user else None, "role": r.role,
             "client_id": r.client_id, "client": r.client.name if r.client else None, "record_type": r.record_type,
             "record_id": r.record_id, "action": r.action} for r in rows]


@router.get("/me/health/courses/{course_id}/next", auth=record_auth, response={200: dict, 404: ErrorOut},
            summary="When my next course session is due, and free slots from then")
def my_next_session(request: HttpRequest, course_id: Id) -> dict[str, Any]:
    course = Course.objects.filter(pk=course_id, client__user=_user(request)).select_related("venue", "treatment").first()
    if course is None:
        raise ApiError(404, "not_found", "Not found.")
    access.log_read(user=_user(request), role=access.CUSTOMER, venue=course.venue, client=course.client,
                    record_type="course", record_id=course.pk, now=clock.now())
    due, found = slots.next_session_slots(course=course, now=clock.now())
    return {"course_id": course.pk, "sessions_done": course.sessions_done(), "sessions_left": course.sessions_left(),
            "due_from": _local(due, course.venue), "slots": found}

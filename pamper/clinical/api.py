"""JSON API for the clinical pathway and health records.

Customer side (`/pathway/...`, `/me/health/...`): where they stand on a
treatment's pathway, the medical questionnaire and consent, the one checkout
that books the consultation and the treatment together, their records,
photos, check-ins, export and erasure.

The venue side (`/clinical/venues/{venue_id}/...`) is in staff_api.py and
mounted on this router. Record and photo URLs answer 404 to anyone who may not
see them; every read of health data is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from pamper.accounts import export as account_export
from pamper.accounts.auth import bearer
from pamper.accounts.models import User
from pamper.bookings import idempotency
from pamper.bookings.models import Booking
from pamper.bookings.present import booking_json
from pamper.clinical import access, actions, documents, present, privacy, queries, slots, staff_api
from pamper.clinical.api_auth import record_auth, user_of
from pamper.clinical.models import AccessLog, Course, PhotoUse, TreatmentSession
from pamper.clinical.present import local, state_json
from pamper.clinical.queries import staff_at, treatment_at, venue_or_404
from pamper.clinical.state import pathway_state
from pamper.clinical.views.common import photo_response
from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock
from pamper.lib.dates import VisitStart
from pamper.lib.fields import Id, Input
from pamper.lib.http import json_response
from pamper.venues.models import Service, ServiceKind, Venue

router = Router(tags=["clinical"])
router.add_router("", staff_api.router)  # the venue side, in staff_api.py


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


@router.get("/pathway", auth=bearer, response={200: PathwayOut, 404: ErrorOut},
            summary="Where I stand on a treatment's pathway at a venue")
def pathway_status(request: HttpRequest, venue_id: Id, treatment_id: Id) -> dict[str, Any]:
    venue = venue_or_404(venue_id)
    treatment = treatment_at(venue, treatment_id)
    client = queries.client_for(user_of(request), venue)
    state = pathway_state(client=client, venue=venue, treatment=treatment, now=clock.now())
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


class AnswersIn(Input):
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
    treatment = treatment_at(venue_or_404(venue_id), treatment_id)
    questionnaire = documents.current_questionnaire(treatment)
    return {"treatment_id": treatment.pk, "version": questionnaire.version,
            "questions": questionnaire.shown_questions()}


@router.post("/pathway/questionnaire", auth=bearer,
             response={201: ResponseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Answer the medical questionnaire (answers are encrypted)")
def post_questionnaire(request: HttpRequest, data: AnswersIn) -> Status:
    venue = venue_or_404(data.venue_id)
    treatment = treatment_at(venue, data.treatment_id)
    response = actions.submit_questionnaire(user=user_of(request), venue=venue, treatment=treatment,
                                            answers=data.answers, version=data.version, now=clock.now())
    message = present.questionnaire_outcome(response, venue)
    return Status(201, {"id": response.pk, "version": response.questionnaire.version, "flagged": response.flagged,
                 "review_status": response.review_status, "message": message})


class ConsentTextOut(Schema):
    treatment_id: int
    version: int
    body: str
    signed: bool


class ConsentIn(Input):
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
    venue = venue_or_404(venue_id)
    treatment = treatment_at(venue, treatment_id)
    text = documents.current_consent_text(treatment)
    client = queries.client_for(user_of(request), venue)
    return {"treatment_id": treatment.pk, "version": text.version, "body": text.body,
            "signed": bool(client and queries.has_consent(client, treatment))}


@router.post("/pathway/consent", auth=bearer, response={201: ConsentOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Sign the consent form by typing your name")
def post_consent(request: HttpRequest, data: ConsentIn) -> Status:
    venue = venue_or_404(data.venue_id)
    treatment = treatment_at(venue, data.treatment_id)
    now = clock.now()
    client = actions.ensure_client(user=user_of(request), venue=venue, now=now)
    consent = actions.sign_consent(user=user_of(request), client=client, treatment=treatment, version=data.version,
                                   typed_name=data.typed_name, now=now)
    return Status(201, {"id": consent.pk, "version": consent.text.version,
                        "signed_at": local(consent.signed_at, venue)})


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
        raise Refusal(422, "unknown_service", gettext("This venue does not offer that service online."))
    return service


@router.get("/pathway/treatment-slots", auth=bearer, response={200: TreatmentSlotsOut, 404: ErrorOut, 422: ErrorOut},
            summary="Treatment slots far enough after a chosen consultation slot")
def treatment_slots(request: HttpRequest, venue_id: Id, service_id: Id, consultation_start: VisitStart,
                    days: int = Query(14, ge=1, le=31), staff_id: Id | None = None) -> dict[str, Any]:
    """Only slots starting at least the lead time after the consultation ends."""
    venue = venue_or_404(venue_id)
    service = _service(venue, service_id, ServiceKind.TREATMENT)
    if consultation_start.tzinfo is None:
        raise Refusal(422, "invalid_start", gettext("Give consultation_start with its UTC offset."))
    earliest, found = slots.treatment_slots_after(venue=venue, service=service, consultation_start=consultation_start,
                                                  now=clock.now(), days=days, staff_id=staff_id)
    return {"venue_id": venue.pk, "timezone": venue.timezone, "service_id": service.pk,
            "earliest_start": local(earliest, venue), "slots": found}


class PathwayBookingIn(Input):
    venue_id: Id
    treatment_service_id: Id = Field(description="The treatment (its consultation service is found from it).")
    consultation_start: VisitStart
    treatment_start: VisitStart
    consultation_staff_id: Id | None = None
    treatment_staff_id: Id | None = None
    notes: str = Field("", max_length=2000)


def _book_pathway(request: HttpRequest, data: PathwayBookingIn) -> tuple[int, dict[str, Any]]:
    venue = venue_or_404(data.venue_id)
    service = _service(venue, data.treatment_service_id, ServiceKind.TREATMENT)
    booked = actions.book_pathway(
        user=user_of(request), venue=venue, treatment_service=service, consultation_start=data.consultation_start,
        treatment_start=data.treatment_start, consultation_staff=staff_at(venue, data.consultation_staff_id),
        treatment_staff=staff_at(venue, data.treatment_staff_id), notes=data.notes.strip(), now=clock.now(),
    )
    rows = Booking.objects.with_items()
    treatment = booking_json(rows.get(pk=booked.treatment.pk))
    consultation = booking_json(rows.get(pk=booked.consultation.pk))
    # The venue asks a payment: that visit waits in pending_payment until it is paid.
    if booked.payment is not None:
        treatment["payment"] = booked.payment
    if booked.consultation_payment is not None:
        consultation["payment"] = booked.consultation_payment
    return 201, {"consultation": consultation, "treatment": treatment}


@router.post("/pathway/bookings", auth=bearer,
             response={201: dict, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Book the consultation and patch test and the treatment together (one atomic request)")
def book_consultation_and_treatment(request: HttpRequest, data: PathwayBookingIn) -> HttpResponse:
    """201 {consultation, treatment}: the treatment waits in status awaiting_patch_test. Both or neither.

    Where the venue's payment policy asks a payment for a visit, that visit is in pending_payment and carries a
    `payment` object (as POST /bookings answers); a consultation is charged only when the venue says so.

    Send an Idempotency-Key header to retry safely.
    """
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    digest = idempotency.fingerprint(request.method or "POST", request.path, request.body)
    status, body, replayed = idempotency.run_once(user=user_of(request), key=key, digest=digest,
                                                  action=lambda: _book_pathway(request, data))
    response = json_response(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


# ---------------------------------------------------------------- the customer's records


@router.get("/me/health", auth=bearer, response={200: dict, 401: ErrorOut},
            summary="My health records at every venue (every read is logged)")
def my_health(request: HttpRequest) -> dict[str, Any]:
    user, now = user_of(request), clock.now()
    venues = []
    for client in access.customer_clients(user):
        access.log_read(user=user, role=access.CUSTOMER, venue=client.venue, client=client,
                        record_type="client_record", record_id=client.pk, now=now)
        venues.append(present.client_record(client))
    return {"venues": venues}


class MyAccessLogPage(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next (older) page; null on the last.")


@router.get("/me/health/access-log", auth=bearer, response={200: MyAccessLogPage, 400: ErrorOut, 401: ErrorOut},
            summary="Who read my health records, when, newest first, page by page")
def my_access_log(request: HttpRequest, limit: int = Query(100, ge=1, le=1000),
                  cursor: str | None = Query(None, max_length=200)) -> dict[str, Any]:
    user = user_of(request)
    rows = AccessLog.objects.filter(client__in=access.customer_clients(user)).select_related("user", "venue")
    page = queries.access_log_page(rows, bound_to=["customer", user.pk], cursor=cursor, limit=limit)
    return {"items": [present.access_entry(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.get("/me/health/export", auth=bearer, summary="Download all my data: JSON plus photos, in a zip")
def my_export(request: HttpRequest) -> HttpResponse:
    return account_export.archive_response(account_export.export_archive(user=user_of(request), now=clock.now()))


class EraseIn(Input):
    confirm: str = Field(description='Type "ERASE" to confirm.', max_length=20)


@router.post("/me/health/erase", auth=bearer, response={200: dict, 401: ErrorOut, 422: ErrorOut},
             summary="Erase my health data and photos; anonymise my bookings")
def my_erase(request: HttpRequest, data: EraseIn) -> dict[str, Any]:
    if data.confirm != "ERASE":
        raise Refusal(422, "confirm_required", gettext('Send confirm: "ERASE" to erase your health data for good.'))
    return {"erased": privacy.erase_health_data(user=user_of(request), now=clock.now())}


class CheckinIn(Input):
    side_effect: bool = Field(description="True when something has bothered you since the session.")
    note: str = Field("", max_length=2000)


def _own_session(user: User, session_id: int) -> TreatmentSession:
    session = TreatmentSession.objects.filter(pk=session_id, course__client__user=user).select_related(
        "course__venue", "course__client").first()
    if session is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    return session


@router.post("/me/health/checkins/{session_id}", auth=record_auth, response={200: dict, 404: ErrorOut, 409: ErrorOut},
             summary="Answer the check-in after a session")
def my_checkin(request: HttpRequest, session_id: Id, data: CheckinIn) -> dict[str, Any]:
    session = actions.submit_checkin(user=user_of(request), session=_own_session(user_of(request), session_id),
                                     side_effect=data.side_effect, note=data.note, now=clock.now())
    message = present.checkin_outcome(session.flagged)
    return {"session_id": session.pk, "flagged": session.flagged, "message": message}


class PhotoUseIn(Input):
    use: str = Field(description="clinical | shown | marketing")


@router.patch("/me/health/photos/{photo_id}", auth=record_auth, response={200: dict, 404: ErrorOut, 422: ErrorOut},
              summary="Choose what one of my photos may be used for")
def my_photo_use(request: HttpRequest, photo_id: Id, data: PhotoUseIn) -> dict[str, Any]:
    photo = actions.set_photo_use(user=user_of(request), photo=access.own_photo(user_of(request), photo_id),
                                  use=data.use)
    return {"id": photo.pk, "use": photo.use, "use_label": PhotoUse(photo.use).label}


@router.delete("/me/health/photos/{photo_id}", auth=record_auth, response={204: None, 404: ErrorOut},
               summary="Withdraw one of my photos (it is destroyed)")
def my_photo_withdraw(request: HttpRequest, photo_id: Id) -> Status:
    actions.withdraw_photo(user=user_of(request), photo=access.own_photo(user_of(request), photo_id),
                           now=clock.now())
    return Status(204, None)


@router.get("/clinical/photos/{photo_id}", auth=record_auth, response={200: None, 404: ErrorOut},
            summary="A progress photo (its customer, or the venue's clinical staff; every view is logged)")
def photo_bytes(request: HttpRequest, photo_id: Id) -> HttpResponse:
    photo, role = access.photo_for(user_of(request), photo_id)
    return photo_response(photo, user_of(request), role, clock.now())


@router.get("/me/health/courses/{course_id}/next", auth=record_auth, response={200: dict, 404: ErrorOut},
            summary="When my next course session is due, and free slots from then")
def my_next_session(request: HttpRequest, course_id: Id) -> dict[str, Any]:
    course = Course.objects.filter(pk=course_id, client__user=user_of(request)).select_related("venue",
                                                                                              "treatment").first()
    if course is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    access.log_read(user=user_of(request), role=access.CUSTOMER, venue=course.venue, client=course.client,
                    record_type="course", record_id=course.pk, now=clock.now())
    due, found = slots.next_session_slots(course=course, now=clock.now())
    return {"course_id": course.pk, "sessions_done": course.sessions_done(), "sessions_left": course.sessions_left(),
            "due_from": local(due, course.venue), "slots": found}

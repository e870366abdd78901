"""Practitioner pages under /partner/clinical/: the worklist, a client's clinical record and its forms.

Only the venue's owner, managers and practitioners get these pages, and a
practitioner only for the clients they treat (the workspace's door,
pamper.bookings.workspace, shared with the API and the partner pages; the
pages about one client go through views.common.staff_client_view); anyone
else (reception included) gets a 404. Every page that shows health data
writes an access-log row; the owner reads the log on its own page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.bookings.models import Booking
from pamper.bookings.workspace import Workspace
from pamper.catalog.models import Treatment
from pamper.clinical import access, actions, documents, queries, slots
from pamper.clinical.forms import (
    CourseForm,
    InPersonConsentForm,
    OverrideForm,
    PatchTestForm,
    PhotoForm,
    ReasonForm,
    ReviewForm,
    SessionForm,
)
from pamper.clinical.models import Consultation, Outcome, ProgressPhoto, QuestionnaireResponse, TreatmentSession
from pamper.clinical.state import pathway_state
from pamper.clinical.views.common import compare_pairs, photo_response, signed_in_or_404, staff_client_view
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.venues.models import Client, Service


@signed_in_or_404
def index(request: HttpRequest) -> HttpResponse:
    venues = list(access.clinical_venues(request.user))  # type: ignore[arg-type]
    if len(venues) == 1:
        return redirect("clinical:staff_worklist", venue_id=venues[0].pk)
    if not venues:
        raise Http404("No clinical workspace.")
    return render(request, "clinical/staff/index.html", {"venues": venues})


@signed_in_or_404
def worklist(request: HttpRequest, venue_id: int) -> HttpResponse:
    staff = access.staff_access(request.user, venue_id)  # type: ignore[arg-type]
    now = clock.now()
    access.log_read(user=request.user, role=staff.role, venue=staff.venue, client=None,  # type: ignore[arg-type]
                    record_type="worklist", record_id=None, now=now)
    query = request.GET.get("q", "").strip()[:100]
    # every list shows only the clients whose records the reader may open
    lists = queries.worklist(staff.venue, staff.record_clients(), query)
    return render(request, "clinical/staff/worklist.html", {
        "venue": staff.venue, "role": staff.role, "now": now, "query": query, **lists,
        "clients": Paginator(lists["clients"], 50).get_page(request.GET.get("page")),
    })


def _record_context(client: Client, now: dt.datetime) -> dict[str, Any]:
    venue = client.venue
    treatments = queries.venue_treatments(venue)
    record = queries.client_record(client)
    return {
        **record, "client": client, "venue": venue, "now": now, "treatments": treatments,
        "states": [pathway_state(client=client, venue=venue, treatment=t, now=now)
                   for t in treatments if t.has_pathway],
        "courses": [{"course": c, "sessions": sorted(c.sessions.all(), key=lambda s: s.number),
                     "due": slots.next_session_due(c, now),
                     "pairs": compare_pairs([p for p in record["photos"] if p.treatment_id == c.treatment_id])}
                    for c in record["courses"]],
        "review_form": ReviewForm(), "reason_form": ReasonForm(),
    }


@signed_in_or_404
@staff_client_view
def client_record(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    now = clock.now()
    access.log_read(user=request.user, role=ws.role, venue=client.venue, client=client,  # type: ignore[arg-type]
                    record_type="client_record", record_id=client.pk, now=now)
    return render(request, "clinical/staff/client.html", {**_record_context(client, now), "role": ws.role})


def _back(client: Client, anchor: str = "") -> HttpResponse:
    response = redirect("clinical:staff_client", venue_id=client.venue_id, client_id=client.pk)
    response["Location"] += anchor
    return response


def _treatment(client: Client, treatment_id: Any) -> Treatment:
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=client.venue).first()
    if treatment is None:
        raise Http404("No such treatment here.")
    return treatment


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = (form.fields[field].label if field in form.fields else "") or gettext("Form")
        messages.error(request, f"{label}: {' '.join(errors)}")


def _run(request: HttpRequest, client: Client, anchor: str, call: Any, done: str, form_key: Any = None) -> HttpResponse:
    """Call an action, turn its Refusal into a message, and go back to the record.

    With `form_key` (which form on the record was posted), a refusal is shown
    in that form instead, its input kept: next to the field it names (a
    Refusal with `field`, such as a clinical time out of range), else at the
    top of the form; the record again, status 422.
    """
    try:
        call()
    except Refusal as exc:
        if form_key is not None:  # the form again, its input kept, the message next to its field (or atop the form)
            return _record_with_errors(request, client, form_key, {exc.extra.get("field") or "form": exc.message})
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(client, anchor)


def _record_with_errors(request: HttpRequest, client: Client, form_key: Any, errors: dict[str, str]) -> HttpResponse:
    """The client's record with `errors` ({field: message}) next to the fields of the form `form_key` (logged read)."""
    role = access.clinical_role(request.user, client.venue_id)  # type: ignore[arg-type]
    now = clock.now()
    access.log_read(user=request.user, role=role or "", venue=client.venue, client=client,  # type: ignore[arg-type]
                    record_type="client_record", record_id=client.pk, now=now)
    context = {**_record_context(client, now), "role": role, "errors": errors, "errors_for": form_key,
               "posted": request.POST}
    return render(request, "clinical/staff/client.html", context, status=422)


def _field_errors(form: Any) -> dict[str, str]:
    """{field: message}, the form-wide errors under "form" (templates cannot read "__all__")."""
    return {"form" if field == "__all__" else field: " ".join(errors) for field, errors in form.errors.items()}


@signed_in_or_404
@require_POST
@staff_client_view
def record_patch_test(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = PatchTestForm(request.POST, zone=client.venue.tz)
    if not form.is_valid():
        if form.cleaned_data.get("booking"):
            return _record_with_errors(request, client, form.cleaned_data["booking"], _field_errors(form))
        _form_errors(request, form)
        return _back(client, "#consultations")
    data = form.cleaned_data
    treatment = _treatment(client, data["treatment"])
    booking = None
    if data["booking"]:
        booking = Booking.objects.filter(pk=data["booking"], client=client).first()
        if booking is None:
            raise Http404("No such booking.")
    outcome = (gettext("No reaction recorded: waiting treatments are confirmed.") if data["outcome"] == Outcome.PASSED
               else gettext("Reaction recorded: waiting treatments are cancelled and online booking is blocked."))
    return _run(request, client, "#consultations", lambda: actions.record_patch_test(
        by=request.user, venue=client.venue, treatment=treatment, outcome=data["outcome"], read_at=data["read_at"],
        applied_at=data["applied_at"], booking=booking, client=client, product=data["product"], batch=data["batch"],
        notes=data["notes"], late_reason=data["late_reason"], now=clock.now()), outcome, form_key=data["booking"])


@signed_in_or_404
@require_POST
@staff_client_view
def clear_reaction(request: HttpRequest, ws: Workspace, client: Client, consultation_id: int) -> HttpResponse:
    consultation = Consultation.objects.filter(pk=consultation_id, client=client).select_related("venue").first()
    if consultation is None:
        raise Http404("Not found.")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#consultations")
    return _run(request, client, "#consultations", lambda: actions.clear_reaction(
        by=request.user, consultation=consultation, reason=form.cleaned_data["reason"], now=clock.now()),
        gettext("Block lifted: the client can book a new consultation and patch test."))


@signed_in_or_404
@require_POST
@staff_client_view
def review(request: HttpRequest, ws: Workspace, client: Client, response_id: int) -> HttpResponse:
    response = QuestionnaireResponse.objects.filter(pk=response_id, client=client).select_related(
        "client__venue").first()
    if response is None:
        raise Http404("Not found.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#questionnaires")
    return _run(request, client, "#questionnaires", lambda: actions.review_questionnaire(
        by=request.user, response=response, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"],
        now=clock.now()), "Review saved.")


@signed_in_or_404
@require_POST
@staff_client_view
def set_course(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = CourseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#courses")
    data = form.cleaned_data
    treatment = _treatment(client, data["treatment"])
    return _run(request, client, "#courses", lambda: actions.set_course(
        by=request.user, client=client, treatment=treatment, planned_sessions=data["planned_sessions"],
        interval_days=data["interval_days"], now=clock.now()), gettext("Course plan saved."))


@signed_in_or_404
@require_POST
@staff_client_view
def record_session(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = SessionForm(request.POST, zone=client.venue.tz)
    if not form.is_valid():
        return _record_with_errors(request, client, "session", _field_errors(form))
    data, now = form.cleaned_data, clock.now()
    treatment = _treatment(client, data["treatment"])
    booking = Booking.objects.filter(pk=data["booking"], client=client).first() if data["booking"] else None
    return _run(request, client, "#courses", lambda: actions.record_session(
        by=request.user, client=client, treatment=treatment, booking=booking, performed_at=data["performed_at"],
        notes=data["notes"], late_reason=data["late_reason"], now=now),
        gettext("Session recorded. The client sees the aftercare and gets a check-in in two days."), form_key="session")


@signed_in_or_404
@require_POST
@staff_client_view
def sign_consent_in_person(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = InPersonConsentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#consents")
    data = form.cleaned_data
    treatment = _treatment(client, data["treatment"])
    return _run(request, client, "#consents", lambda: actions.sign_consent(
        user=request.user, client=client, treatment=treatment, version=data["version"], typed_name=data["typed_name"],
        now=clock.now()), "Consent signed.")


@signed_in_or_404
@require_POST
@staff_client_view
def upload_photo(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#photos")
    data = form.cleaned_data
    treatment = _treatment(client, data["treatment"])
    session = None
    if data["session"]:
        session = TreatmentSession.objects.filter(pk=data["session"], course__client=client).select_related(
            "course").first()
    upload = data["file"]
    return _run(request, client, "#photos", lambda: actions.upload_photo(
        by=request.user, client=client, treatment=treatment, data=upload.read(), angle=data["angle"],
        session=session, now=clock.now()), gettext("Photo stored, encrypted, without its metadata."))


@signed_in_or_404
@require_POST
@staff_client_view
def resolve_checkin(request: HttpRequest, ws: Workspace, client: Client, session_id: int) -> HttpResponse:
    session = TreatmentSession.objects.filter(pk=session_id, course__client=client).select_related(
        "course__venue").first()
    if session is None:
        raise Http404("Not found.")
    return _run(request, client, "#courses", lambda: actions.resolve_checkin_flag(
        by=request.user, session=session, now=clock.now()), gettext("Marked as followed up."))


@signed_in_or_404
@require_POST
@staff_client_view
def override_booking(request: HttpRequest, ws: Workspace, client: Client) -> HttpResponse:
    form = OverrideForm(request.POST, zone=client.venue.tz)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(client, "#override")
    data = form.cleaned_data
    service = Service.objects.filter(pk=data["service"], venue=client.venue, is_active=True).first()
    if service is None:
        raise Http404("No such service.")
    now = clock.now()

    def book() -> Any:
        return actions.book_past_pathway(by=request.user, client=client, services=[service], start=data["start"],  # type: ignore[arg-type]
                                         reason=data["reason"], now=now)

    return _run(request, client, "#override", book,
                "Booked. The override and its reason are kept in the clinical record.")


@signed_in_or_404
def photo(request: HttpRequest, venue_id: int, photo_id: int) -> HttpResponse:
    staff = access.staff_access(request.user, venue_id)  # type: ignore[arg-type]
    found = ProgressPhoto.objects.filter(pk=photo_id, venue=staff.venue, client__in=staff.record_clients()
                                         ).select_related("client", "venue").first()
    if found is None:
        raise Http404("No such photo.")
    return photo_response(found, request.user, staff.role, clock.now())  # type: ignore[arg-type]


@signed_in_or_404
def access_log(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = access.venue_for_owner(request.user, venue_id)  # type: ignore[arg-type]
    cursor = request.GET.get("cursor") or None  # keyset pages, as the API's: no count or offset on a long log
    page = queries.access_log_page(venue.clinical_access_log.select_related("user", "client"),
                                   bound_to=["venue", venue.pk], cursor=cursor, limit=100)
    return render(request, "clinical/staff/access_log.html", {"venue": venue, "page": page, "cursor": cursor})


@signed_in_or_404
@staff_client_view
def consent_text(request: HttpRequest, ws: Workspace, client: Client, treatment_id: int) -> HttpResponse:
    """The consent text to read with the client, and the form to sign it on this device."""
    treatment = _treatment(client, treatment_id)
    text = documents.current_consent_text(treatment)
    form = InPersonConsentForm(initial={"version": text.version, "treatment": treatment.pk})
    return render(request, "clinical/staff/consent.html", {"client": client, "venue": client.venue,
                                                            "treatment": treatment, "text": text, "form": form})

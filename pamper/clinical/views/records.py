"""The customer's health record (/account/health/): the record at each venue, the medical questionnaire,
consent, the check-in after a session, export and erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from pamper.accounts import export as account_export
from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.clinical import access, actions, documents, present, privacy, queries, slots
from pamper.clinical.forms import CheckinForm, ConsentForm, EraseForm, PhotoUseForm, QuestionnaireForm
from pamper.clinical.models import AccessLog, Course, TreatmentSession
from pamper.clinical.state import pathway_state
from pamper.clinical.views.common import signed_in_or_404
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.methods import require_form_page
from pamper.lib.nexturl import next_path
from pamper.venues.models import Client, Service, Venue


def _treatments_of(client: Client) -> list[Treatment]:
    """Treatments with a pathway this client has anything to do with at the venue."""
    ids = set(client.questionnaire_responses.values_list("questionnaire__treatment_id", flat=True))
    ids |= set(client.consultations.values_list("treatment_id", flat=True))
    ids |= set(client.courses.values_list("treatment_id", flat=True))
    ids |= set(Service.objects.filter(booking_items__booking__client=client).values_list("treatment_id", flat=True))
    return list(Treatment.objects.filter(pk__in=ids).order_by("name"))


def _venue_section(client: Client, user: User, now: dt.datetime) -> dict[str, Any]:
    venue = client.venue
    access.log_read(user=user, role=access.CUSTOMER, venue=venue, client=client, record_type="client_record",
                    record_id=client.pk, now=now)
    courses = list(client.courses.select_related("treatment").prefetch_related("sessions"))
    states = [pathway_state(client=client, venue=venue, treatment=t, now=now) for t in _treatments_of(client)]
    return {
        "client": client, "venue": venue, "tz": venue.tz,
        "states": [s for s in states if s.status != "not_needed"],
        "consents": {c.text.treatment_id: c for c in client.consents.select_related("text")},
        "questionnaires": list(client.questionnaire_responses.select_related("questionnaire__treatment")),
        "consultations": list(client.consultations.select_related("treatment")),
        "courses": [_course_view(c, now) for c in courses],
        "checkins_due": list(TreatmentSession.objects.filter(course__client=client, checkin_due_at__lte=now,
                                                             checkin_at__isnull=True).select_related("course__treatment")),
        "photos": list(client.progress_photos.select_related("treatment")),
        "staff_reads": list(AccessLog.objects.filter(client=client).exclude(role=access.CUSTOMER)
                            .select_related("user", "venue")[:20]),
    }


def _course_view(course: Course, now: dt.datetime) -> dict[str, Any]:
    sessions = sorted(course.sessions.all(), key=lambda s: s.number)
    latest = sessions[-1] if sessions else None
    due = slots.next_session_due(course, now)
    return {
        "course": course, "sessions": sessions, "done": len(sessions),
        "left": max(course.planned_sessions - len(sessions), 0),
        "due": due, "book_url": _next_session_url(course, due),
        "aftercare": list(course.treatment.aftercare or []),
        "latest": latest,
        "recent": latest is not None and now - latest.performed_at < dt.timedelta(days=7),
    }


def _next_session_url(course: Course, due: dt.datetime | None) -> str | None:
    """The venue's booking page with the course's service and the first day it is due, or None."""
    service = slots.course_service(course) if due is not None else None
    if service is None or due is None:
        return None
    try:
        page = reverse("bookings:book", args=[course.venue.slug])
    except NoReverseMatch:
        return None
    return f"{page}?service={service.pk}&day={due.astimezone(course.venue.tz).date().isoformat()}"


@login_required
def health(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    sections = [_venue_section(c, request.user, now) for c in access.customer_clients(request.user)]  # type: ignore[arg-type]
    # A venue where nothing of health was recorded (a haircut at a salon) is no part of the health record.
    health_parts = ("states", "consents", "questionnaires", "consultations", "courses", "checkins_due", "photos",
                    "staff_reads")
    sections = [s for s in sections if any(s[part] for part in health_parts)]
    return render(request, "clinical/health.html", {"sections": sections, "now": now,
                                                     "photo_use_form": PhotoUseForm()})


READS_PER_PAGE = 50


@login_required
def reads(request: HttpRequest) -> HttpResponse:
    """Every read of the customer's health records by someone at a venue, newest first, page by page (the API's
    /me/health/access-log, less the customer's own reads). A cursor not made for this customer: 400."""
    user = request.user
    rows = (AccessLog.objects.filter(client__in=access.customer_clients(user)).exclude(role=access.CUSTOMER)  # type: ignore[arg-type]
            .select_related("user", "venue"))
    cursor = request.GET.get("cursor") or None
    page = queries.access_log_page(rows, bound_to=["customer", user.pk], cursor=cursor, limit=READS_PER_PAGE)
    return render(request, "clinical/reads.html", {"page": page, "cursor": cursor})


def _venue_treatment(venue_id: int, treatment_id: int) -> tuple[Venue, Treatment]:
    venue = get_object_or_404(Venue, pk=venue_id, is_published=True)
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=venue, services__is_active=True).first()
    if treatment is None:
        raise Http404("This venue does not offer that treatment.")
    return venue, treatment


def _next_url(request: HttpRequest, default: str) -> str:
    return next_path(request, default)


@login_required
@require_form_page
def questionnaire(request: HttpRequest, venue_id: int, treatment_id: int) -> HttpResponse:
    venue, treatment = _venue_treatment(venue_id, treatment_id)
    version = documents.current_questionnaire(treatment)
    form = QuestionnaireForm(request.POST or None, questionnaire=version)
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.submit_questionnaire(
                user=request.user, venue=venue, treatment=treatment, answers=form.answers(),  # type: ignore[arg-type]
                version=form.cleaned_data["version"], now=clock.now(),
            )
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            say = messages.warning if response.flagged else messages.success
            say(request, present.questionnaire_outcome(response, venue))
            return redirect(_next_url(request, reverse("clinical:health")))
    return render(
        request,
        "clinical/questionnaire.html",
        {"form": form, "venue": venue, "treatment": treatment, "version": version, "next": _next_url(request, "")},
    )


@login_required
@require_form_page
def consent(request: HttpRequest, venue_id: int, treatment_id: int) -> HttpResponse:
    venue, treatment = _venue_treatment(venue_id, treatment_id)
    text = documents.current_consent_text(treatment)
    form = ConsentForm(request.POST or None, initial={"version": text.version})
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        client = actions.ensure_client(user=request.user, venue=venue, now=now)  # type: ignore[arg-type]
        try:
            actions.sign_consent(
                user=request.user,
                client=client,
                treatment=treatment,  # type: ignore[arg-type]
                version=form.cleaned_data["version"],
                typed_name=form.cleaned_data["typed_name"],
                now=now,
            )
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("Consent to %(treatment_name)s signed. You can read it any time on this page.")
                % {"treatment_name": treatment.name},
            )
            return redirect(_next_url(request, reverse("clinical:health")))
    return render(
        request,
        "clinical/consent.html",
        {"form": form, "venue": venue, "treatment": treatment, "text": text, "next": _next_url(request, ""),
         "reading": documents.consent_reading(treatment)},
    )


@signed_in_or_404
@require_form_page
def checkin(request: HttpRequest, session_id: int) -> HttpResponse:
    session = (
        TreatmentSession.objects.filter(pk=session_id, course__client__user=request.user)
        .select_related("course__treatment", "course__venue")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    if request.method in ("GET", "HEAD"):  # the page is rendered (and read) for a HEAD too
        access.log_read(
            user=request.user,
            role=access.CUSTOMER,
            venue=session.course.venue,  # type: ignore[arg-type]
            client=session.course.client,
            record_type="session",
            record_id=session.pk,
            now=clock.now(),
        )
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_checkin(
                user=request.user,
                session=session,  # type: ignore[arg-type]
                side_effect=form.cleaned_data["side_effect"] == "yes",
                note=form.cleaned_data["note"],
                now=clock.now(),
            )
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, present.checkin_outcome(form.cleaned_data["side_effect"] == "yes"))
            return redirect("clinical:health")
    return render(
        request,
        "clinical/checkin.html",
        {"form": form, "session": session, "venue": session.course.venue, "treatment": session.course.treatment},
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    return account_export.archive_response(account_export.export_archive(user=request.user, now=clock.now()))  # type: ignore[arg-type]


@login_required
@require_form_page
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        counts = privacy.erase_health_data(user=request.user, now=clock.now())  # type: ignore[arg-type]
        messages.success(
            request,
            gettext(
                "Done: your health records and %(counts_photos)s photos were destroyed and "
                "%(counts_bookings_anonymised)s bookings anonymised."
            )
            % {"counts_photos": counts["photos"], "counts_bookings_anonymised": counts["bookings_anonymised"]},
        )
        return redirect("clinical:health")
    return render(request, "clinical/erase.html", {"form": form})

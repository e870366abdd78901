"""Customer pages: the pathway checkout, the health record, forms, photos, export and erasure.

The practitioner pages are in staff_views.py. Views validate, call one
action, render; every read of health data is logged through access.log_read.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from pamper.accounts.models import User
from pamper.bookings.models import Booking
from pamper.catalog.models import Treatment
from pamper.clinical import access, actions, documents, photos, privacy, queries, slots
from pamper.clinical.forms import CheckinForm, ConsentForm, EraseForm, PhotoUseForm, QuestionnaireForm
from pamper.clinical.models import AccessLog, Course, PathwayStatus, ProgressPhoto, TreatmentSession
from pamper.clinical.state import pathway_state
from pamper.errors import Refusal
from pamper.lib import clock, dates
from pamper.lib.clock import format_local
from pamper.venues.models import Client, Service, ServiceKind, Venue


def signed_in_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For URLs naming one health record: an anonymous visitor gets the same 404 as anyone not allowed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- photos


def photo_response(photo: ProgressPhoto, user: User, role: str, now: dt.datetime) -> HttpResponse:
    """The decrypted photo, logged, never cached and never sniffed as anything but its image type."""
    try:
        data = photos.load(photo.storage_name)
    except FileNotFoundError as exc:
        raise Http404("No such photo.") from exc
    access.log_read(user=user, role=role, venue=photo.venue, client=photo.client, record_type="photo",
                    record_id=photo.pk, now=now, action=AccessLog.Action.DOWNLOAD)
    response = HttpResponse(data, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.{photo.extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@signed_in_or_404
def my_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo, role = access.photo_for(request.user, photo_id)  # type: ignore[arg-type]
    if role != access.CUSTOMER:
        raise Http404("No such photo.")
    return photo_response(photo, request.user, role, clock.now())  # type: ignore[arg-type]


def _own_photo(request: HttpRequest, photo_id: int) -> ProgressPhoto:
    photo = ProgressPhoto.objects.filter(pk=photo_id, client__user=request.user).select_related("client", "venue").first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


@signed_in_or_404
@require_POST
def my_photo_use(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = _own_photo(request, photo_id)
    form = PhotoUseForm(request.POST)
    if form.is_valid():
        actions.set_photo_use(user=request.user, photo=photo, use=form.cleaned_data["use"])  # type: ignore[arg-type]
        messages.success(request, "Your choice for that photo is saved.")
    else:
        messages.error(request, "Choose how the photo may be used.")
    return redirect(reverse("clinical:health") + "#photos")


@signed_in_or_404
@require_POST
def my_photo_withdraw(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = _own_photo(request, photo_id)
    actions.withdraw_photo(user=request.user, photo=photo, now=clock.now())  # type: ignore[arg-type]
    messages.success(request, "The photo has been withdrawn and destroyed.")
    return redirect(reverse("clinical:health") + "#photos")


# ---------------------------------------------------------------- the health record


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
                            .select_related("user")[:20]),
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
    return render(request, "clinical/health.html", {"sections": sections, "now": now,
                                                     "photo_use_form": PhotoUseForm()})


def _venue_treatment(venue_id: int, treatment_id: int) -> tuple[Venue, Treatment]:
    venue = get_object_or_404(Venue, pk=venue_id, is_published=True)
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=venue, services__is_active=True).first()
    if treatment is None:
        raise Http404("This venue does not offer that treatment.")
    return venue, treatment


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
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
            if response.flagged:
                messages.warning(request, "Thank you. Some answers need a practitioner's review before this treatment "
                                 f"can be booked online: {venue.name} has been asked to look at them.")
            else:
                messages.success(request, "Thank you: your answers are saved, encrypted, for the practitioner.")
            return redirect(_next_url(request, reverse("clinical:health")))
    return render(request, "clinical/questionnaire.html", {"form": form, "venue": venue, "treatment": treatment,
                                                            "version": version, "next": _next_url(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, venue_id: int, treatment_id: int) -> HttpResponse:
    venue, treatment = _venue_treatment(venue_id, treatment_id)
    text = documents.current_consent_text(treatment)
    form = ConsentForm(request.POST or None, initial={"version": text.version})
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        client = actions.ensure_client(user=request.user, venue=venue, now=now)  # type: ignore[arg-type]
        try:
            actions.sign_consent(user=request.user, client=client, treatment=treatment,  # type: ignore[arg-type]
                                 version=form.cleaned_data["version"], typed_name=form.cleaned_data["typed_name"], now=now)
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Consent to {treatment.name} signed. You can read it any time on this page.")
            return redirect(_next_url(request, reverse("clinical:health")))
    return render(request, "clinical/consent.html", {"form": form, "venue": venue, "treatment": treatment,
                                                      "text": text, "next": _next_url(request, "")})


@signed_in_or_404
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, session_id: int) -> HttpResponse:
    session = TreatmentSession.objects.filter(pk=session_id, course__client__user=request.user).select_related(
        "course__treatment", "course__venue").first()
    if session is None:
        raise Http404("No such session.")
    if request.method == "GET":
        access.log_read(user=request.user, role=access.CUSTOMER, venue=session.course.venue,  # type: ignore[arg-type]
                        client=session.course.client, record_type="session", record_id=session.pk, now=clock.now())
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_checkin(user=request.user, session=session,  # type: ignore[arg-type]
                                   side_effect=form.cleaned_data["side_effect"] == "yes",
                                   note=form.cleaned_data["note"], now=clock.now())
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Thank you. " + ("The practitioner has been asked to contact you about it."
                                                      if form.cleaned_data["side_effect"] == "yes" else
                                                      "Glad to hear it is settling."))
            return redirect("clinical:health")
    return render(request, "clinical/checkin.html", {"form": form, "session": session,
                                                      "venue": session.course.venue,
                                                      "treatment": session.course.treatment})


def compare_pairs(photos_list: list[ProgressPhoto]) -> list[tuple[str, ProgressPhoto, ProgressPhoto]]:
    """(angle label, first photo, latest photo) for each angle with at least two photos."""
    by_angle: dict[str, list[ProgressPhoto]] = {}
    for photo in sorted(photos_list, key=lambda p: (p.taken_at, p.pk)):
        by_angle.setdefault(photo.angle, []).append(photo)
    return [(group[0].get_angle_display(), group[0], group[-1]) for group in by_angle.values() if len(group) > 1]


@signed_in_or_404
def compare(request: HttpRequest, course_id: int) -> HttpResponse:
    course = Course.objects.filter(pk=course_id, client__user=request.user).select_related("treatment", "venue").first()
    if course is None:
        raise Http404("No such course.")
    access.log_read(user=request.user, role=access.CUSTOMER, venue=course.venue, client=course.client,  # type: ignore[arg-type]
                    record_type="course", record_id=course.pk, now=clock.now())
    shown = [p for p in course.client.progress_photos.filter(treatment=course.treatment) if p.use != "clinical"]
    return render(request, "clinical/compare.html", {"course": course, "pairs": compare_pairs(shown),
                                                      "photo_url": "clinical:my_photo", "hidden": not shown})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = privacy.export_archive(user=request.user, now=clock.now())  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="pamper-health-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        counts = privacy.erase_health_data(user=request.user, now=clock.now())  # type: ignore[arg-type]
        messages.success(request, f"Done: your health records and {counts['photos']} photos were destroyed and "
                         f"{counts['bookings_anonymised']} bookings anonymised.")
        return redirect("clinical:health")
    return render(request, "clinical/erase.html", {"form": form})


# ---------------------------------------------------------------- the one checkout


def _parse_instant(value: str | None) -> dt.datetime | None:
    """A chosen slot's start; None (so the checkout starts that step again) for garbage or outside dates.VISIT."""
    if not value:
        return None
    try:
        return dates.parse_instant(value, dates.VISIT)
    except ValueError:
        return None


def _by_day(found: list[dict[str, Any]], venue: Venue) -> list[tuple[str, list[dict[str, Any]]]]:
    days: dict[str, list[dict[str, Any]]] = {}
    for slot in found:
        start = dt.datetime.fromisoformat(slot["start"]).astimezone(venue.tz)
        days.setdefault(f"{start:%A} {start.day} {start:%B}", []).append({**slot, "label": f"{start:%H:%M}"})
    return list(days.items())


def _checkout_service(service_id: int) -> Service:
    service = Service.objects.filter(pk=service_id, kind=ServiceKind.TREATMENT, is_active=True, online_bookable=True,
                                     venue__is_published=True).select_related("venue", "treatment").first()
    if service is None:
        raise Http404("No such service.")
    return service


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, service_id: int) -> HttpResponse:
    """Consultation slots first, then treatment slots at least the lead time after it, then both in one go."""
    service = _checkout_service(service_id)
    venue, treatment = service.venue, service.treatment
    context: dict[str, Any] = {"service": service, "venue": venue, "treatment": treatment,
                               "lead_hours": treatment.patch_test_lead_hours or 0}
    if not request.user.is_authenticated:
        return render(request, "clinical/checkout.html", {**context, "step": "sign_in"})
    now = clock.now()
    client = queries.client_for(request.user, venue)
    state = pathway_state(client=client, venue=venue, treatment=treatment, now=now)
    context.update(state=state, consultation_service=state.consultation_service)
    if request.method == "POST":
        return _checkout_post(request, service, context, now)
    if state.status != PathwayStatus.NEEDS_CONSULTATION:
        return render(request, "clinical/checkout.html", {**context, "step": "status"})
    if state.consultation_service is None:
        return render(request, "clinical/checkout.html", {**context, "step": "no_service"})
    if not state.questionnaire_done:
        return render(request, "clinical/checkout.html", {**context, "step": "questionnaire"})
    chosen = _parse_instant(request.GET.get("consultation_start"))
    if chosen is None:
        return _consultation_step(request, context, now)
    return _treatment_or_restart(request, service, chosen, context, now)


def _consultation_step(request: HttpRequest, context: dict[str, Any], now: dt.datetime) -> HttpResponse:
    venue, consultation = context["venue"], context["consultation_service"]
    try:
        first = dates.parse_day(request.GET.get("date", ""), dates.DIARY)
    except ValueError:
        first = now.astimezone(venue.tz).date()
    first = min(max(first, now.astimezone(venue.tz).date()), (now + dt.timedelta(days=venue.horizon_days)).date())
    start_of_day = dt.datetime.combine(first, dt.time(), tzinfo=venue.tz)
    found = slots.slots_from(venue=venue, service=consultation, earliest=start_of_day, now=now, days=7)
    return render(request, "clinical/checkout.html", {
        **context, "step": "consultation", "days": _by_day(found, venue),
        "later": (first + dt.timedelta(days=7)).isoformat(),
    })


def _treatment_or_restart(request: HttpRequest, service: Service, chosen: dt.datetime, context: dict[str, Any],
                          now: dt.datetime, error: str | None = None) -> HttpResponse:
    """The treatment step for a chosen consultation time, or back to the consultation step when that time is unusable."""
    venue = service.venue
    try:
        earliest, found = slots.treatment_slots_after(venue=venue, service=service, consultation_start=chosen,
                                                      now=now, days=7)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("clinical:checkout", service_id=service.pk)
    return render(request, "clinical/checkout.html", {
        **context, "step": "treatment", "days": _by_day(found, venue), "error": error,
        "consultation_start": chosen.isoformat(), "consultation_label": format_local(chosen, venue.tz),
        "earliest_label": format_local(earliest, venue.tz),
    }, status=422 if error else 200)


def _checkout_post(request: HttpRequest, service: Service, context: dict[str, Any], now: dt.datetime) -> HttpResponse:
    consultation_start = _parse_instant(request.POST.get("consultation_start"))
    treatment_start = _parse_instant(request.POST.get("treatment_start"))
    if consultation_start is None:
        messages.error(request, "Choose a consultation time first.")
        return redirect("clinical:checkout", service_id=service.pk)
    if treatment_start is None:
        return _treatment_or_restart(request, service, consultation_start, context, now, error="Choose a treatment time.")
    try:
        booked = actions.book_pathway(user=request.user, venue=service.venue, treatment_service=service,  # type: ignore[arg-type]
                                      consultation_start=consultation_start, treatment_start=treatment_start, now=now,
                                      notes=request.POST.get("notes", "")[:2000])
    except Refusal as exc:
        return _treatment_or_restart(request, service, consultation_start, context, now, error=exc.message)
    return redirect("clinical:checkout_done", booking_id=booked.consultation.pk)


@login_required
def checkout_done(request: HttpRequest, booking_id: int) -> HttpResponse:
    consultation = Booking.objects.filter(pk=booking_id, customer=request.user).select_related("venue").first()
    if consultation is None:
        raise Http404("No such booking.")
    venue = consultation.venue
    treatments = list(consultation.dependants.prefetch_related("items__service").order_by("start"))
    return render(request, "clinical/checkout_done.html", {
        "consultation": consultation, "treatments": treatments, "venue": venue,
        "consultation_label": format_local(consultation.start, venue.tz),
        "treatment_labels": [(b, format_local(b.start, venue.tz)) for b in treatments],
    })

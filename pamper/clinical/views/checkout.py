"""The pathway checkout (/book/pathway/): consultation slots first, then treatment slots at least the lead
time after it, then both booked in one go; and the page after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from pamper.bookings import hooks
from pamper.bookings.models import Booking
from pamper.catalog.models import Treatment
from pamper.clinical import actions, queries, slots, suitability
from pamper.clinical.models import PathwayStatus
from pamper.clinical.state import pathway_state
from pamper.errors import Refusal
from pamper.lib import clock, dates, formats
from pamper.lib.clock import format_local
from pamper.lib.methods import require_form_page
from pamper.venues.models import Client, Service, ServiceKind, Venue


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
        days.setdefault(formats.day(start, "long_no_year"), []).append({**slot, "label": formats.clock_time(start)})
    return list(days.items())


def _checkout_service(service_id: int) -> Service:
    service = Service.objects.filter(pk=service_id, kind=ServiceKind.TREATMENT, is_active=True, online_bookable=True,
                                     venue__is_published=True).select_related("venue", "treatment").first()
    if service is None:
        raise Http404("No such service.")
    return service


@require_form_page
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
    if state.status in (PathwayStatus.REVIEW, PathwayStatus.DECLINED):
        return _flagged(request, context, client, now)
    if state.status != PathwayStatus.NEEDS_CONSULTATION:
        return render(request, "clinical/checkout.html", {**context, "step": "status"})
    if state.consultation_service is None:
        return render(request, "clinical/checkout.html", {**context, "step": "no_service"})
    if not state.questionnaire_done:
        return render(request, "clinical/checkout.html", {**context, "step": "questionnaire"})
    if not _consented(client, treatment):
        return render(request, "clinical/checkout.html", {**context, "step": "consent"})
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
    """The treatment step for a chosen consultation time, or back to the consultation step when that time is
    unusable."""
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
        "payment_terms": _payment_terms(service, context["consultation_service"], chosen),
    }, status=422 if error else 200)


def _payment_terms(service: Service, consultation: Service,
                   consultation_start: dt.datetime) -> list[tuple[str, list[str]]]:
    """What is paid when, and what cancelling costs, for each of the two visits that asks anything (the
    treatment's time is not chosen yet: its deadline is said in hours before)."""
    venue = service.venue
    found = [(consultation.name, hooks.payment_terms(venue=venue, services=[consultation], start=consultation_start)),
             (service.name, hooks.payment_terms(venue=venue, services=[service], start=None))]
    return [(name, lines) for name, lines in found if lines]


def _flagged(request: HttpRequest, context: dict[str, Any], client: Client | None, now: dt.datetime) -> HttpResponse:
    """A "yes" in the questionnaire: an absolute one (or a practitioner's no) says why and what else there is;
    any other goes on to book the consultation alone, where the practitioner reviews it."""
    venue, treatment, state = context["venue"], context["treatment"], context["state"]
    response = queries.latest_response(client, treatment)
    reasons = suitability.absolute_in(response)
    if (reasons or state.status == PathwayStatus.DECLINED) and response is not None:
        return render(request, "clinical/checkout.html", {
            **context, "step": "unsuitable", "reasons": reasons,
            "alternatives": suitability.alternatives(venue, treatment, response)})
    if state.consultation_service is None:
        return render(request, "clinical/checkout.html", {**context, "step": "no_service"})
    return _consultation_step(request, {**context, "review": True}, now)


def _book_reviewed_consultation(request: HttpRequest, service: Service, context: dict[str, Any],
                                now: dt.datetime) -> HttpResponse:
    """The consultation alone, for answers waiting for review (never past an absolute reason)."""
    state, venue = context["state"], service.venue
    response = queries.latest_response(queries.client_for(request.user, venue), service.treatment)
    start = _parse_instant(request.POST.get("consultation_start"))
    if state.status != PathwayStatus.REVIEW or suitability.absolute_in(response) or start is None:
        return redirect("clinical:checkout", service_id=service.pk)
    try:
        booking, payment = actions.book_consultation(user=request.user, venue=venue,  # type: ignore[arg-type]
                                                     service=state.consultation_service, start=start, now=now)
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("clinical:checkout", service_id=service.pk)
    messages.warning(request, gettext("Consultation booked. The practitioner reviews your answers with you there; "
                                      "the treatment can be booked once they have cleared them."))
    if payment is not None:  # the venue charges consultations: pay it now
        return redirect("payments:pay", pk=booking.pk)
    return redirect("clinical:checkout_done", booking_id=booking.pk)


def _consented(client: Client | None, treatment: Treatment) -> bool:
    """The consent form is a step of the checkout: signed (its version kept) before the first treatment is booked."""
    return client is not None and queries.has_consent(client, treatment)


def _checkout_post(request: HttpRequest, service: Service, context: dict[str, Any], now: dt.datetime) -> HttpResponse:
    if request.POST.get("consultation_only"):
        return _book_reviewed_consultation(request, service, context, now)
    if not _consented(queries.client_for(request.user, service.venue), service.treatment):
        messages.error(request, gettext("Sign the consent form first: it comes before the consultation."))
        return redirect("clinical:checkout", service_id=service.pk)
    consultation_start = _parse_instant(request.POST.get("consultation_start"))
    treatment_start = _parse_instant(request.POST.get("treatment_start"))
    if consultation_start is None:
        messages.error(request, gettext("Choose a consultation time first."))
        return redirect("clinical:checkout", service_id=service.pk)
    if treatment_start is None:
        return _treatment_or_restart(request, service, consultation_start, context, now,
                                     error=gettext("Choose a treatment time."))
    try:
        booked = actions.book_pathway(user=request.user, venue=service.venue, treatment_service=service,  # type: ignore[arg-type]
                                      consultation_start=consultation_start, treatment_start=treatment_start, now=now,
                                      notes=request.POST.get("notes", "")[:2000])
    except Refusal as exc:
        return _treatment_or_restart(request, service, consultation_start, context, now, error=exc.message)
    # The venue's policy asks a payment: the consultation's first (its page leads on to the treatment's).
    if booked.consultation_payment is not None:
        return redirect("payments:pay", pk=booked.consultation.pk)
    if booked.payment is not None:
        return redirect("payments:pay", pk=booked.treatment.pk)
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

"""What the pathway says when it stops a booking: each rule's Refusal (422), its code, its words and the
details a page or an API client needs to offer the next step.

pathway.py decides which rule applies; these functions only build the Refusal it raises.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse

from pamper.catalog.models import Treatment
from pamper.errors import Refusal
from pamper.lib.clock import format_local
from pamper.venues.models import Client, Service, Venue


def lead_hours(treatment: Treatment) -> str:
    """The patch test's lead time in words: "1 hour", "48 hours"."""
    hours = treatment.patch_test_lead_hours or 0
    return f"{hours} hour{'s' if hours != 1 else ''}"


def reaction(venue: Venue, treatment: Treatment) -> Refusal:
    """patch_test_reaction: an uncleared reaction at the venue blocks online booking."""
    return Refusal(
        422, "patch_test_reaction",
        f"Your patch test for {treatment.name} at {venue.name} showed a reaction, so it cannot be booked "
        "online. Please talk to the venue: a practitioner can clear this after reviewing it with you.",
    )


def review(venue: Venue, treatment: Treatment, consultation: Service | None) -> Refusal:
    """contraindication_review: flagged answers wait for (or were declined by) a practitioner."""
    return Refusal(
        422, "contraindication_review",
        f"Your medical questionnaire mentions something a practitioner at {venue.name} must review before "
        f"{treatment.name} can be booked online. They have been asked to review it; you can still book the "
        "consultation to talk it through.",
        consultation_service_id=consultation.pk if consultation else None, treatment_id=treatment.pk,
    )


def questionnaire_required(venue: Venue, treatment: Treatment, client: Client | None) -> Refusal:
    """questionnaire_required: where to answer it (a client without an account cannot: an override can)."""
    page = reverse("clinical:questionnaire", args=[venue.pk, treatment.pk])
    if client is not None and client.user_id is None:
        where = ("The client has no account to answer it online: a practitioner can book past this rule with the "
                 "reason (for example, the history taken on paper), which is logged.")
    else:
        where = (f"Answer it on your health page ({page}) or through the API (GET and POST "
                 f"/api/v1/pathway/questionnaire?venue_id={venue.pk}&treatment_id={treatment.pk}), "
                 "then book again.")
    return Refusal(
        422, "questionnaire_required",
        f"{treatment.name} at {venue.name} needs the medical questionnaire answered first (the current "
        f"version, answered within the last {treatment.patch_test_validity.days} days): the practitioner reads "
        f"it before your consultation. {where}",
        questionnaire_url=page, venue_id=venue.pk, treatment_id=treatment.pk,
    )


def course_interval(treatment: Treatment, *, gap: int, closest: dt.datetime, tz: zoneinfo.ZoneInfo,
                    later_from: dt.date | None, earlier_until: dt.date) -> Refusal:
    """course_interval: another session is closer than `gap` days; advise `later_from` (a session lies before)
    or else `earlier_until`."""
    if later_from is not None:
        advice = f"Choose {later_from:%A %-d %B} or later."
    else:
        advice = f"Choose {earlier_until:%A %-d %B} or earlier, or move that session."
    return Refusal(
        422, "course_interval",
        f"Sessions of your {treatment.name} course are at least {gap} days apart, and another one is on "
        f"{format_local(closest, tz)}. {advice}",
        other_session=closest.isoformat(), interval_days=gap,
    )


def dependant_too_close(venue: Venue, treatment: Treatment, item_start: dt.datetime) -> Refusal:
    """patch_test_lead_time, for a consultation moved too late for a treatment waiting for it."""
    return Refusal(
        422, "patch_test_lead_time",
        f"Your {treatment.name} on {format_local(item_start, venue.tz)} must start at least "
        f"{lead_hours(treatment)} after the consultation. Choose an earlier consultation time, or move the "
        "treatment first.",
        latest_consultation_end=(item_start - treatment.patch_test_lead).isoformat(),
    )


def required(venue: Venue, treatment: Treatment, treatment_service: Service, consultation: Service | None,
             now: dt.datetime) -> Refusal:
    """patch_test_required: book the consultation first; when the treatment could start at the earliest."""
    minutes = consultation.duration_minutes if consultation else 30
    earliest = now + dt.timedelta(minutes=venue.min_notice_minutes + minutes) + treatment.patch_test_lead
    what = "a consultation and patch test" if treatment.needs_patch_test else "a consultation"
    if consultation is None:
        message = (f"{treatment.name} needs {what} first, and {venue.name} does not take that booking online: "
                   "please contact the venue.")
    else:
        wait = f" and a wait of at least {lead_hours(treatment)} for the result" if treatment.needs_patch_test else ""
        message = (f"{treatment.name} needs {what} first{wait}. Book the consultation; the treatment can start "
                   f"from {format_local(earliest, venue.tz)} at the earliest.")
    return Refusal(
        422, "patch_test_required", message,
        consultation_service_id=consultation.pk if consultation else None, treatment_id=treatment.pk,
        lead_hours=treatment.patch_test_lead_hours or 0, earliest_treatment_start=earliest.isoformat(),
        checkout_url=f"/book/pathway/{treatment_service.pk}/" if consultation else None,
    )


def lead_time(venue: Venue, treatment: Treatment, earliest: dt.datetime) -> Refusal:
    """patch_test_lead_time: the slot is inside the wait after a test; the treatment can start from `earliest`."""
    return Refusal(
        422, "patch_test_lead_time",
        f"The patch test for {treatment.name} needs at least {lead_hours(treatment)} to show any reaction: the "
        f"treatment can start from {format_local(earliest, venue.tz)} at the earliest.",
        earliest_start=earliest.isoformat(), lead_hours=treatment.patch_test_lead_hours or 0,
        treatment_id=treatment.pk,
    )

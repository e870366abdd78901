"""What the pathway says when it stops a booking: each rule's Refusal (422), its code, its words and the
details a page or an API client needs to offer the next step.

pathway.py decides which rule applies; these functions only build the Refusal it raises.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from pamper.catalog.models import Treatment
from pamper.errors import Refusal
from pamper.lib import formats
from pamper.lib.clock import format_local
from pamper.venues.models import Client, Service, Venue


class WordedForVenue(Refusal):
    """A refusal with two wordings: `message` for the customer (what the API and their own pages show) and
    `venue_message` for the venue's staff, who change the booking on the client's behalf and read the client named
    rather than addressed. The venue wording is no extra field: the API never sends it."""

    def __init__(self, status: int, code: str, message: str, *, venue_message: str, **extra: Any) -> None:
        super().__init__(status, code, message, **extra)
        self.venue_message = venue_message


def for_venue(refusal: Refusal) -> str:
    """What the venue's staff read of `refusal`: its venue wording when the rule has one, else its message."""
    return refusal.venue_message if isinstance(refusal, WordedForVenue) else refusal.message


def lead_hours(treatment: Treatment) -> str:
    """The patch test's lead time in words: "1 hour", "48 hours"."""
    hours = treatment.patch_test_lead_hours or 0
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def reaction(venue: Venue, treatment: Treatment) -> Refusal:
    """patch_test_reaction: an uncleared reaction at the venue blocks online booking."""
    return Refusal(
        422,
        "patch_test_reaction",
        gettext(
            "Your patch test for %(treatment_name)s at %(venue_name)s showed a reaction, so it cannot be booked "
            "online. Please talk to the venue: a practitioner can clear this after reviewing it with you."
        )
        % {"treatment_name": treatment.name, "venue_name": venue.name},
    )


def review(venue: Venue, treatment: Treatment, consultation: Service | None) -> Refusal:
    """contraindication_review: flagged answers wait for (or were declined by) a practitioner."""
    return Refusal(
        422,
        "contraindication_review",
        gettext(
            "Your medical questionnaire mentions something a practitioner at %(venue_name)s must review before "
            "%(treatment_name)s can be booked online. They have been asked to review it; you can still book the "
            "consultation to talk it through."
        )
        % {"venue_name": venue.name, "treatment_name": treatment.name},
        consultation_service_id=consultation.pk if consultation else None,
        treatment_id=treatment.pk,
    )


def questionnaire_required(venue: Venue, treatment: Treatment, client: Client | None) -> Refusal:
    """questionnaire_required: where to answer it (a client without an account cannot: an override can)."""
    page = reverse("clinical:questionnaire", args=[venue.pk, treatment.pk])
    if client is not None and client.user_id is None:
        where = gettext(
            "The client has no account to answer it online: a practitioner can book past this rule with the "
            "reason (for example, the history taken on paper), which is logged."
        )
    else:
        where = gettext(
            "Answer it on your health page (%(page)s) or through the API (GET and POST %(api)s), then book again."
        ) % {"page": page, "api": f"/api/v1/pathway/questionnaire?venue_id={venue.pk}&treatment_id={treatment.pk}"}
    return Refusal(
        422,
        "questionnaire_required",
        gettext(
            "%(treatment_name)s at %(venue_name)s needs the medical questionnaire answered first (the current "
            "version, answered within the last %(patch_test_validity_days)s days): the practitioner reads it "
            "before your consultation. %(where)s"
        )
        % {
            "treatment_name": treatment.name,
            "venue_name": venue.name,
            "patch_test_validity_days": treatment.patch_test_validity.days,
            "where": where,
        },
        questionnaire_url=page,
        venue_id=venue.pk,
        treatment_id=treatment.pk,
    )


def course_interval(
    treatment: Treatment,
    *,
    gap: int,
    closest: dt.datetime,
    tz: zoneinfo.ZoneInfo,
    later_from: dt.date | None,
    earlier_until: dt.date,
) -> Refusal:
    """course_interval: another session is closer than `gap` days; advise `later_from` (a session lies before)
    or else `earlier_until`."""
    if later_from is not None:
        advice = gettext("Choose %(day)s or later.") % {"day": formats.day(later_from, "long_no_year")}
    else:
        advice = gettext("Choose %(day)s or earlier, or move that session.") % {
            "day": formats.day(earlier_until, "long_no_year")}
    return Refusal(
        422,
        "course_interval",
        gettext(
            "Sessions of your %(treatment_name)s course are at least %(gap)s days apart, and another one is on "
            "%(format_local)s. %(advice)s"
        )
        % {"treatment_name": treatment.name, "gap": gap, "format_local": format_local(closest, tz), "advice": advice},
        other_session=closest.isoformat(),
        interval_days=gap,
    )


def dependant_too_close(venue: Venue, treatment: Treatment, item_start: dt.datetime, client: Client) -> Refusal:
    """patch_test_lead_time, for a consultation moved too late for a treatment waiting for it; worded for the
    client, and for the venue (WordedForVenue) with the client named."""
    names = {
        "treatment_name": treatment.name,
        "format_local": format_local(item_start, venue.tz),
        "lead_hours": lead_hours(treatment),
        "client_name": client.name,
    }
    return WordedForVenue(
        422,
        "patch_test_lead_time",
        gettext(
            "Your %(treatment_name)s on %(format_local)s must start at least %(lead_hours)s after the "
            "consultation. Choose an earlier consultation time, or move the treatment first."
        )
        % names,
        venue_message=gettext(
            "%(client_name)s's %(treatment_name)s on %(format_local)s must start at least %(lead_hours)s after "
            "the consultation. Choose an earlier consultation time, or move the treatment first."
        )
        % names,
        latest_consultation_end=(item_start - treatment.patch_test_lead).isoformat(),
    )


def required(
    venue: Venue, treatment: Treatment, treatment_service: Service, consultation: Service | None, now: dt.datetime
) -> Refusal:
    """patch_test_required: book the consultation first; when the treatment could start at the earliest. The venue
    reads what it can do (it cannot 'contact the venue': it is the venue)."""
    minutes = consultation.duration_minutes if consultation else 30
    earliest = now + dt.timedelta(minutes=venue.min_notice_minutes + minutes) + treatment.patch_test_lead
    names = {"treatment": treatment.name, "venue": venue.name, "lead_hours": lead_hours(treatment),
             "earliest": format_local(earliest, venue.tz)}
    if consultation is None and treatment.needs_patch_test:
        message = gettext("%(treatment)s needs a consultation and patch test first, and %(venue)s does not take "
                          "that booking online: please contact the venue.")
        venue_text = gettext("%(treatment)s needs a consultation and patch test first, and there is no active "
                            "consultation service for it: add one under Services, then book the client's "
                            "consultation.")
    elif consultation is None:
        message = gettext("%(treatment)s needs a consultation first, and %(venue)s does not take that booking "
                          "online: please contact the venue.")
        venue_text = gettext("%(treatment)s needs a consultation first, and there is no active consultation service "
                            "for it: add one under Services, then book the client's consultation.")
    elif treatment.needs_patch_test:
        message = gettext("%(treatment)s needs a consultation and patch test first, and a wait of at least "
                          "%(lead_hours)s for the result. Book the consultation; the treatment can start from "
                          "%(earliest)s at the earliest.")
        venue_text = message
    else:
        message = gettext("%(treatment)s needs a consultation first. Book the consultation; the treatment can start "
                          "from %(earliest)s at the earliest.")
        venue_text = message
    return WordedForVenue(
        422,
        "patch_test_required",
        message % names,
        venue_message=venue_text % names,
        consultation_service_id=consultation.pk if consultation else None,
        treatment_id=treatment.pk,
        lead_hours=treatment.patch_test_lead_hours or 0,
        earliest_treatment_start=earliest.isoformat(),
        checkout_url=reverse("clinical:checkout", args=[treatment_service.pk]) if consultation else None,
    )


def lead_time(venue: Venue, treatment: Treatment, earliest: dt.datetime) -> Refusal:
    """patch_test_lead_time: the slot is inside the wait after a test; the treatment can start from `earliest`."""
    return Refusal(
        422,
        "patch_test_lead_time",
        gettext(
            "The patch test for %(treatment_name)s needs at least %(lead_hours)s to show any reaction: the "
            "treatment can start from %(format_local)s at the earliest."
        )
        % {
            "treatment_name": treatment.name,
            "lead_hours": lead_hours(treatment),
            "format_local": format_local(earliest, venue.tz),
        },
        earliest_start=earliest.isoformat(),
        lead_hours=treatment.patch_test_lead_hours or 0,
        treatment_id=treatment.pk,
    )

"""Plain dicts of clinical records (decrypted) and pathway states, for the API, the pages' JSON and the export.

Callers are responsible for the permission check and for logging the read
(access.log_read): these functions only shape data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from pamper.clinical.models import (
    AccessLog,
    Consent,
    Consultation,
    Course,
    PathwayOverride,
    ProgressPhoto,
    QuestionnaireResponse,
    TreatmentSession,
)
from pamper.clinical.queries import has_consent
from pamper.clinical.state import PathwayState
from pamper.venues.models import Client, Venue


def questionnaire_outcome(response: QuestionnaireResponse, venue: Venue) -> str:
    """What the customer reads once their medical answers are in (the page's message and the API's `message`)."""
    if response.flagged:
        return gettext("Thank you. Some answers need a practitioner's review before this treatment can be booked "
                       "online: %(venue_name)s has been asked to look at them.") % {"venue_name": venue.name}
    return gettext("Thank you: your answers are saved, encrypted, for the practitioner.")


def checkin_outcome(flagged: bool) -> str:
    """What the customer reads after the check-in following a session."""
    if flagged:
        return gettext("Thank you. The practitioner has been asked to contact you about it.")
    return gettext("Thank you. Glad to hear it is settling.")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def local(instant: dt.datetime | None, venue: Venue) -> str | None:
    """The instant in the venue's time zone, ISO 8601 with its offset; None for None."""
    return instant.astimezone(venue.tz).isoformat() if instant else None


def state_json(state: PathwayState, venue: Venue, client: Client | None) -> dict[str, Any]:
    """Where the customer stands on the treatment's pathway (the API's PathwayOut), times in the venue's zone."""
    treatment = state.treatment
    return {
        "venue_id": venue.pk, "treatment_id": treatment.pk, "treatment": treatment.name, "status": state.status,
        "consultation_required": treatment.has_pathway, "lead_hours": treatment.patch_test_lead_hours or 0,
        "validity_days": treatment.patch_test_validity.days,
        "consultation_service_id": state.consultation_service.pk if state.consultation_service else None,
        "valid_until": local(state.valid_until, venue),
        "earliest_treatment": local(state.earliest_treatment, venue),
        "questionnaire_done": state.questionnaire_done,
        "consent_signed": bool(client and has_consent(client, treatment)),
    }


def questionnaire_dict(r: QuestionnaireResponse) -> dict[str, Any]:
    answers = r.answers or {}
    return {
        "id": r.pk, "treatment": r.questionnaire.treatment.name, "treatment_id": r.questionnaire.treatment_id,
        "version": r.questionnaire.version, "submitted_at": _iso(r.submitted_at), "flagged": r.flagged,
        "flagged_items": r.flagged_labels(), "review_status": r.review_status, "reviewed_at": _iso(r.reviewed_at),
        "review_note": r.review_note,
        "answers": [
            {"slug": q["slug"], "question": q["question"], "answer": answers.get(q["slug"])}
            for q in r.questionnaire.shown_questions()
        ],
    }


def consultation_dict(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk, "treatment": c.treatment.name, "treatment_id": c.treatment_id, "booking_id": c.booking_id,
        "outcome": c.outcome, "outcome_label": c.outcome_label(), "applied_at": _iso(c.applied_at),
        "read_at": _iso(c.read_at), "product": c.product, "batch": c.batch, "notes": c.notes,
        "recorded_at": _iso(c.recorded_at), "valid_until": _iso(c.valid_until()) if c.outcome == "passed" else None,
        "earliest_treatment": _iso(c.earliest_treatment()), "blocks_booking": c.blocks_booking,
        "cleared_at": _iso(c.cleared_at), "clear_reason": c.clear_reason,
    }


def session_dict(s: TreatmentSession) -> dict[str, Any]:
    return {
        "id": s.pk, "number": s.number, "booking_id": s.booking_id, "performed_at": _iso(s.performed_at),
        "notes": s.notes, "checkin_due_at": _iso(s.checkin_due_at), "checkin_at": _iso(s.checkin_at),
        "checkin": s.checkin_answer, "flagged": s.flagged, "flag_resolved_at": _iso(s.flag_resolved_at),
    }


def course_dict(c: Course) -> dict[str, Any]:
    sessions = list(c.sessions.order_by("number"))
    return {
        "id": c.pk, "treatment": c.treatment.name, "treatment_id": c.treatment_id,
        "planned_sessions": c.planned_sessions, "interval_days": c.interval_days,
        "sessions_done": len(sessions), "sessions_left": max(c.planned_sessions - len(sessions), 0),
        "sessions": [session_dict(s) for s in sessions], "aftercare": list(c.treatment.aftercare or []),
    }


def photo_dict(p: ProgressPhoto) -> dict[str, Any]:
    return {
        "id": p.pk, "treatment": p.treatment.name, "angle": p.angle, "taken_at": _iso(p.taken_at),
        "course_id": p.course_id, "session_id": p.session_id, "use": p.use, "content_type": p.content_type,
        "width": p.width, "height": p.height, "url": f"/api/v1/clinical/photos/{p.pk}",
    }


def consent_dict(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk, "treatment": c.text.treatment.name, "version": c.text.version, "typed_name": c.typed_name,
        "signed_at": _iso(c.signed_at), "text": c.text.body,
    }


def override_dict(o: PathwayOverride) -> dict[str, Any]:
    return {"id": o.pk, "treatment": o.treatment.name, "rule": o.rule, "start": _iso(o.start), "reason": o.reason,
            "by": o.created_by.get_full_name() if o.created_by else None, "at": _iso(o.created_at)}


def client_record(client: Client) -> dict[str, Any]:
    """Everything clinical about one client at one venue."""
    return {
        "client_id": client.pk, "venue": client.venue.name, "venue_id": client.venue_id, "name": client.name,
        "questionnaires": [questionnaire_dict(r) for r in
                           client.questionnaire_responses.select_related("questionnaire__treatment")],
        "consents": [consent_dict(c) for c in client.consents.select_related("text__treatment")],
        "consultations": [consultation_dict(c) for c in client.consultations.select_related("treatment")],
        "courses": [course_dict(c) for c in client.courses.select_related("treatment")],
        "photos": [photo_dict(p) for p in client.progress_photos.select_related("treatment")],
        "overrides": [override_dict(o) for o in client.pathway_overrides.select_related("treatment", "created_by")],
    }


def access_entry(entry: AccessLog) -> dict[str, Any]:
    """One read of the customer's health data, as the customer reads it (the API, the export): when (in the
    venue's zone), where, who by name and role, what and how."""
    venue = entry.venue
    return {
        "at": local(entry.at, venue) if venue else entry.at.isoformat(), "venue": venue.name if venue else None,
        "by": entry.user.get_full_name() if entry.user else None, "role": entry.role,
        "record_type": entry.record_type, "record_id": entry.record_id, "action": entry.action,
    }

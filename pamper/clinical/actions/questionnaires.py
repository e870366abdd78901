"""The forms before a treatment: the customer's medical questionnaire and consent, and the practitioner's
review of flagged answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.clinical import documents
from pamper.clinical.actions.common import clean_text, require_clinical
from pamper.clinical.models import Consent, QuestionnaireResponse, ReviewStatus
from pamper.errors import Refusal
from pamper.venues.models import Client, Venue


def ensure_client(*, user: User, venue: Venue, now: dt.datetime) -> Client:
    """The venue's client record for an online customer, created on first contact."""
    client = Client.objects.filter(venue=venue, user=user).first()
    if client is not None:
        return client
    try:
        with transaction.atomic():
            return Client.objects.create(venue=venue, user=user, name=user.get_full_name(), email=user.email,
                                         phone=getattr(user, "phone", ""), created_at=now)
    except IntegrityError:
        return Client.objects.get(venue=venue, user=user)


def submit_questionnaire(*, user: User, venue: Venue, treatment: Treatment, answers: dict[str, Any],
                         version: int | None, now: dt.datetime) -> QuestionnaireResponse:
    """Store a customer's answers (encrypted). A "yes" to a contraindication asks for a practitioner's review.

    Raises 409 questionnaire_changed when the form was answered against an older version,
    422 invalid_answer for a missing or malformed answer.
    """
    questionnaire = documents.current_questionnaire(treatment)
    if version is not None and version != questionnaire.version:
        raise Refusal(409, "questionnaire_changed", gettext("The questions have changed since the form was opened: "
                       "please answer the new version."), version=questionnaire.version)
    try:
        cleaned = documents.clean_answers(questionnaire, answers)
    except documents.AnswerError as exc:
        raise Refusal(422, "invalid_answer", exc.message, field=exc.field) from exc
    flagged = documents.is_flagged(questionnaire, cleaned)
    with transaction.atomic():
        client = ensure_client(user=user, venue=venue, now=now)
        return QuestionnaireResponse.objects.create(
            client=client, questionnaire=questionnaire, answers=cleaned, flagged=flagged,
            review_status=ReviewStatus.NEEDS_REVIEW if flagged else ReviewStatus.NOT_NEEDED,
            submitted_by=user, submitted_at=now,
        )


def sign_consent(*, user: User | None, client: Client, treatment: Treatment, version: int | None,
                 typed_name: str, now: dt.datetime) -> Consent:
    """Record a consent signed by typing one's name under the current consent text."""
    text = documents.current_consent_text(treatment)
    if version is not None and version != text.version:
        raise Refusal(
            409,
            "consent_changed",
            gettext("The consent text has changed since you opened it: please read the new version."),
            version=text.version,
        )
    name = " ".join((typed_name or "").split())
    if len(name) < 2 or len(name) > 150:
        raise Refusal(422, "name_required", gettext("Type your full name to sign."))
    return Consent.objects.create(client=client, text=text, typed_name=name, signed_by=user, signed_at=now)


def review_questionnaire(
    *, by: User, response: QuestionnaireResponse, decision: str, note: str, now: dt.datetime
) -> QuestionnaireResponse:
    """A practitioner's decision on flagged answers: cleared (may book) or declined (may not)."""
    require_clinical(by, response.client.venue)
    if decision not in (ReviewStatus.CLEARED, ReviewStatus.DECLINED):
        raise Refusal(422, "invalid_decision", gettext("Decide 'cleared' or 'declined'."))
    response.review_status = decision
    response.review_note = clean_text(note, "note")
    response.reviewed_by, response.reviewed_at = by, now
    response.save(update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at"])
    return response

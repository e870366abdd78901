"""The versioned documents a customer fills in or signs, built from the catalogue.

A treatment's medical questionnaire is its contraindication questions (a "yes"
flags the answer for review) plus two free-text questions. Its consent text
is written from the treatment's summary, evidence, side effects and
aftercare. Each is frozen as a numbered version: when the catalogue changes,
the next request creates the next version, and answers and signatures keep
pointing at the version the person actually saw.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from pamper.catalog.models import Treatment
from pamper.clinical.models import ConsentText, Questionnaire

GENERAL_QUESTIONS: list[dict[str, str]] = [
    # Stored in English with each version; Questionnaire.shown_questions translates them when shown.
    {"slug": "medicines", "kind": "text", "label": gettext_noop("Medicines"),
     "question": gettext_noop("Which medicines, supplements or creams do you use at the moment? "
                              "(Leave blank if none.)")},
    {"slug": "other", "kind": "text", "label": gettext_noop("Anything else"),
     "question": gettext_noop("Is there anything else about your health the practitioner should know before "
                              "treating you?")},
]
MAX_TEXT_ANSWER = 2000


def questions_for(treatment: Treatment) -> list[dict[str, str]]:
    """The questions as they should be asked today: contraindications (yes/no) first, then free text.

    Always the catalogue's English (a version must not change with the reader's language);
    Questionnaire.shown_questions gives them in the reader's.
    """
    with translation.override("en"):
        return _questions_for(treatment)


def _questions_for(treatment: Treatment) -> list[dict[str, str]]:
    yesno = [
        {"slug": c.slug, "kind": "yesno", "label": c.label, "question": c.question}
        for c in treatment.contraindications.order_by("label", "slug")
    ]
    return yesno + GENERAL_QUESTIONS


def consent_body(treatment: Treatment) -> str:
    """The consent text for a treatment, in plain words, from its catalogue entry (English: the signed version
    must not change with the reader's language)."""
    with translation.override("en"):
        return _consent_body(treatment)


def consent_reading(treatment: Treatment) -> str:
    """The same text in the reader's language, to read before signing the English version; '' in English."""
    return "" if translation.get_language()[:2] == "en" else _consent_body(treatment)


def _consent_body(treatment: Treatment) -> str:
    """The consent text in the active language (the catalogue's words and these lines, translated)."""
    lines = [gettext("Consent to %(treatment_name)s") % {"treatment_name": treatment.name}, "",
             treatment.summary.strip()]
    if treatment.evidence:
        lines += ["", gettext("What the evidence says:") + " " + treatment.evidence.strip()]
    if treatment.side_effects:
        lines += ["", gettext("Side effects I have been told about:")] + [f"- {s}" for s in treatment.side_effects]
    if treatment.aftercare:
        lines += ["", gettext("Aftercare I agree to follow:")] + [f"- {s}" for s in treatment.aftercare]
    lines += [
        "",
        gettext("I confirm that:"),
        "- " + gettext("my answers to the medical questionnaire are true and complete, and I will tell the "
                       "practitioner if anything changes before a session;"),
        "- " + gettext("the practitioner has explained the treatment, what it can and cannot do, and the "
                       "alternatives;"),
        "- " + gettext("results differ from person to person and are not guaranteed;"),
        "- " + gettext("I can ask questions and withdraw my consent at any time, including during a session."),
    ]
    return "\n".join(lines)


def _current(model: type[Questionnaire] | type[ConsentText], treatment: Treatment, field: str, value: Any):  # type: ignore[no-untyped-def]
    """The latest version whose `field` equals value, creating the next version when it differs."""
    for _attempt in range(3):
        latest = model.objects.filter(treatment=treatment).order_by("-version").first()
        if latest is not None and getattr(latest, field) == value:
            return latest
        try:
            with transaction.atomic():
                return model.objects.create(treatment=treatment, version=(latest.version + 1 if latest else 1),
                                            **{field: value})
        except IntegrityError:
            continue  # another request created that version first: read it again
    raise RuntimeError(f"could not settle the current {model.__name__} for {treatment.slug}")


def current_questionnaire(treatment: Treatment) -> Questionnaire:
    return _current(Questionnaire, treatment, "questions", questions_for(treatment))


def current_consent_text(treatment: Treatment) -> ConsentText:
    return _current(ConsentText, treatment, "body", consent_body(treatment))


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire; `field` names the question."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def clean_answers(questionnaire: Questionnaire, raw: dict[str, Any]) -> dict[str, bool | str]:
    """Answers checked against the questions: every yes/no answered with a boolean, text trimmed.

    Raises AnswerError for a missing or malformed answer or an unknown question.
    """
    known = {q["slug"] for q in questionnaire.questions}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise AnswerError(unknown[0], gettext("'%(slug)s' is not a question on this form.") % {"slug": unknown[0]})
    answers: dict[str, bool | str] = {}
    for q in questionnaire.questions:
        value = raw.get(q["slug"])
        if q["kind"] == "yesno":
            if not isinstance(value, bool):
                raise AnswerError(q["slug"], gettext("Answer yes or no: %(question)s") % {"question": q["question"]})
            answers[q["slug"]] = value
        else:
            text = "" if value is None else value
            if not isinstance(text, str) or len(text) > MAX_TEXT_ANSWER:
                raise AnswerError(q["slug"], gettext("Write at most %(n)s characters: %(question)s")
                                  % {"n": MAX_TEXT_ANSWER, "question": q["question"]})
            answers[q["slug"]] = text.strip()
    return answers


def is_flagged(questionnaire: Questionnaire, answers: dict[str, bool | str]) -> bool:
    """True when any contraindication question is answered yes."""
    return any(answers.get(slug) is True for slug in questionnaire.yesno_slugs())

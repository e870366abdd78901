"""A "yes" in the medical questionnaire: absolute reasons (no review can clear them) and what else to offer.

Which reasons are absolute is catalogue data (`absolute`, `why` in pamper/catalog/data/contraindications.toml).
Any other "yes" is reviewed by the practitioner at the consultation, which the customer can still book. For an
absolute one the customer is told why, and offered the treatment's catalogue alternatives that do not list any
of the reasons they answered yes to, with a booking link where this venue offers them.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from pamper.catalog.i18n import translated
from pamper.catalog.models import Contraindication, Treatment
from pamper.clinical.models import QuestionnaireResponse
from pamper.venues.models import Service, ServiceKind, Venue

CONTRAINDICATIONS = Path(__file__).resolve().parents[1] / "catalog" / "data" / "contraindications.toml"


@dataclass(frozen=True)
class Reason:
    label: str
    why: str


@dataclass(frozen=True)
class Alternative:
    name: str
    guide_url: str
    book_url: str  # empty when this venue does not offer it


@functools.cache
def absolute_reasons() -> dict[str, str]:
    """{contraindication slug: why (English, "" when the file gives none)} for the absolute ones in the catalogue
    file. Cached, so nothing here may depend on the language active at the first call."""
    rows = tomllib.loads(CONTRAINDICATIONS.read_text("utf-8"))["contraindication"]
    return {r["slug"]: r.get("why") or "" for r in rows if r.get("absolute")}


def yes_slugs(response: QuestionnaireResponse) -> set[str]:
    answers = response.answers or {}
    return {q["slug"] for q in response.questionnaire.questions if q["kind"] == "yesno" and answers.get(q["slug"])}


def absolute_in(response: QuestionnaireResponse | None) -> list[Reason]:
    """The absolute reasons among the answers (decrypts them); [] for none or no response."""
    if response is None or not response.flagged:
        return []
    reasons, labels = absolute_reasons(), {q["slug"]: q["label"] for q in response.questionnaire.shown_questions()}
    return [Reason(labels[s], _why(s, reasons[s])) for s in sorted(yes_slugs(response)) if s in reasons]


def _why(slug: str, english: str) -> str:
    """Why an absolute reason blocks the treatment, in the active language when the catalogue translates it."""
    found = Contraindication.objects.filter(slug=slug).first()
    return ((translated(found, "why") if found else None) or english
            or _("A practitioner cannot offer it with this answer."))


def alternatives(venue: Venue, treatment: Treatment, response: QuestionnaireResponse) -> list[Alternative]:
    """The catalogue's alternatives to `treatment` that list none of the reasons answered yes."""
    flagged = yes_slugs(response)
    found = []
    for other in treatment.alternatives.prefetch_related("contraindications").order_by("name"):
        if flagged & {c.slug for c in other.contraindications.all()}:
            continue
        offered = Service.objects.filter(venue=venue, treatment=other, kind=ServiceKind.TREATMENT, is_active=True,
                                         online_bookable=True).order_by("price").first()
        book = f"{reverse('bookings:book', args=[venue.slug])}?service={offered.pk}" if offered else ""
        found.append(Alternative(other.name, other.get_absolute_url(), book))
    return found

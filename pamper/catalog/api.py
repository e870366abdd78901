"""JSON API routes for the catalogue: one treatment in full. (The list, GET /treatments?q=, ranks with the
search app's matcher, so the search router serves it.)"""

from __future__ import annotations

import unicodedata
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from pamper.errors import ErrorOut, Refusal
from pamper.lib.money import money_str

from .models import Treatment

router = Router(tags=["catalog"])

MAX_QUERY_LENGTH = 100


class CategoryOut(Schema):
    slug: str
    name: str


class TreatmentSummaryOut(Schema):
    slug: str
    name: str
    category: CategoryOut
    summary: str
    has_guide: bool = Field(description="True when the treatment has a full written guide.")
    consultation_required: bool
    patch_test_lead_hours: int | None = Field(
        description="Hours that must pass between a passed patch (allergy) test and the treatment; null when none."
    )
    url: str = Field(description="The treatment's guide page.")

    @staticmethod
    def resolve_url(obj: Treatment) -> str:
        return obj.get_absolute_url()


class ContraindicationOut(Schema):
    slug: str
    label: str
    question: str = Field(description="The yes/no question asked in the medical form.")


class AlternativeOut(Schema):
    slug: str
    name: str


class PriceRangeOut(Schema):
    min: str = Field(description="Decimal amount as a string.", examples=["45.00"])
    max: str = Field(examples=["90.00"])
    currency: Literal["GBP"]


class GuideOut(Schema):
    what: str
    how: str
    for_me: str
    good_to_know: str
    aftercare: str


class TreatmentDetailOut(TreatmentSummaryOut):
    synonyms: list[str]
    conditions: list[str] = Field(description="Concerns the treatment is used for.")
    variants: list[str] = Field(description="Named variants a venue may offer, e.g. needle-free.")
    session_minutes: int = Field(description="A typical session, in minutes.")
    course_sessions: int = Field(description="Sessions in a typical course; 1 for a one-off.")
    course_interval_days: int | None = Field(description="Shortest usual gap between course sessions, in days.")
    downtime: str
    side_effects: list[str]
    aftercare: list[str]
    contraindications: list[ContraindicationOut]
    alternatives: list[AlternativeOut]
    patch_test_validity_days: int | None = Field(description="How long a passed patch test stays valid, in days.")
    evidence: str = Field(description="What the evidence says, plainly.")
    typical_price: PriceRangeOut = Field(description="Typical UK price range of one session.")
    guide: GuideOut | None = Field(description="The full guide; null when the treatment has none yet.")

    @staticmethod
    def resolve_typical_price(obj: Treatment) -> dict[str, str]:
        return {"min": money_str(obj.price_from, "GBP"), "max": money_str(obj.price_to, "GBP"), "currency": "GBP"}

    @staticmethod
    def resolve_guide(obj: Treatment) -> dict[str, str] | None:
        if not obj.has_guide:
            return None
        return {"what": obj.guide_what, "how": obj.guide_how, "for_me": obj.guide_for_me,
                "good_to_know": obj.guide_good_to_know, "aftercare": obj.guide_aftercare}


def normalise(text: str) -> str:
    """Lower-case, accent-free, hyphens as spaces, single spaces: 'Mésothérapie ' -> 'mesotherapie'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(plain.replace("-", " ").split())


def find_treatments(q: str, treatments: list[Treatment]) -> list[Treatment]:
    """The treatments whose name, synonyms or conditions contain q, best first.

    A simple case- and accent-insensitive substring match: an exact name or
    synonym ranks first, then names, then synonyms, then conditions; ties keep
    the input order. An empty q returns every treatment. (The search app owns
    the typo-tolerant matcher; this is the plain one.)
    """
    needle = normalise(q)
    if not needle:
        return list(treatments)
    ranked: list[tuple[int, int, Treatment]] = []
    for index, treatment in enumerate(treatments):
        name = normalise(treatment.name)
        synonyms = [normalise(s) for s in treatment.synonyms]
        conditions = [normalise(c) for c in treatment.conditions]
        if needle == name or needle in synonyms:
            rank = 0
        elif needle in name:
            rank = 1
        elif any(needle in s for s in synonyms):
            rank = 2
        elif any(needle in c for c in conditions):
            rank = 3
        else:
            continue
        ranked.append((rank, index, treatment))
    return [t for _, _, t in sorted(ranked, key=lambda r: (r[0], r[1]))]


@router.get(
    "/treatments/{slug}",
    response={200: TreatmentDetailOut, 404: ErrorOut},
    summary="One treatment: its structured data, safety information and guide",
)
def get_treatment(request: HttpRequest, slug: str) -> Treatment:
    treatment = (
        Treatment.objects.select_related("category")
        .prefetch_related("contraindications", "alternatives")
        .filter(slug=slug)
        .first()
    )
    if treatment is None:
        raise Refusal(404, "not_found", gettext("No treatment called %(repr)s.") % {"repr": repr(slug)})
    return treatment

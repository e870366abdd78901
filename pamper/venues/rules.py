"""What a service's bookings are checked against (its kind, its treatment's prerequisites) and the one comparison
that says whether an edit of the service checks them less: pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from .models import Service


class ServiceKind(models.TextChoices):
    TREATMENT = "treatment", gettext_lazy("Treatment")
    CONSULTATION = "consultation", gettext_lazy("Consultation and patch test")


@dataclass(frozen=True)
class ServiceRules:
    """What a service's bookings are checked against: its kind, its treatment and that treatment's prerequisites."""

    kind: str
    treatment_id: int
    treatment_name: str
    consultation_required: bool
    lead_hours: int | None  # None: no patch test
    validity_days: int
    questionnaire: bool
    course_interval_days: int

    @classmethod
    def of(cls, service: Service) -> ServiceRules:
        t = service.treatment
        return cls(
            kind=service.kind,
            treatment_id=t.pk,
            treatment_name=t.name,
            consultation_required=t.consultation_required,
            lead_hours=t.patch_test_lead_hours,
            validity_days=t.validity_days,
            # The reverse name of clinical.Questionnaire.treatment: venues may not import clinical.
            questionnaire=t.questionnaires.exists(),
            course_interval_days=t.course_interval_days or 0,
        )

    @property
    def has_pathway(self) -> bool:
        return self.consultation_required or self.lead_hours is not None or self.questionnaire

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "treatment_id": self.treatment_id,
            "treatment": self.treatment_name,
            "consultation_required": self.consultation_required,
            "patch_test_lead_hours": self.lead_hours,
            "patch_test_validity_days": self.validity_days,
            "questionnaire": self.questionnaire,
            "course_interval_days": self.course_interval_days,
        }


def weakened_rules(before: ServiceRules, after: ServiceRules) -> list[str]:
    """How `after` checks the service's bookings less than `before` did, one phrase each; [] when not weaker.

    The one comparison behind every edit of a service. A kind change on a pathway
    treatment counts either way: bookings made under one kind's checks would be
    read as the other kind (a consultation skips every check; a consultation booked
    as such would become a treatment nobody checked). A consultation relinked to
    another pathway treatment would open that treatment's pathway. A treatment
    relinked to another counts when any prerequisite of the new one is weaker.
    """
    if before == after:
        return []
    if before.kind != after.kind and (before.has_pathway or after.has_pathway):
        return [f"its kind changes from {before.kind} to {after.kind}"]
    if before.treatment_id == after.treatment_id:
        return []
    if after.kind == ServiceKind.CONSULTATION:
        return [f"its consultations would count for {after.treatment_name}"] if after.has_pathway else []
    return _weaker_prerequisites(before, after)


def _weaker_prerequisites(before: ServiceRules, after: ServiceRules) -> list[str]:
    found = []
    if before.consultation_required and not after.consultation_required:
        found.append(f"{after.treatment_name} needs no consultation")
    if before.lead_hours is not None and (after.lead_hours is None or after.lead_hours < before.lead_hours):
        found.append(f"{after.treatment_name} needs a shorter patch-test wait (or none)")
    if before.has_pathway and after.validity_days > before.validity_days:
        found.append(f"a patch test for {after.treatment_name} counts for longer")
    if before.questionnaire and not after.questionnaire:
        found.append(f"{after.treatment_name} has no medical questionnaire")
    if after.course_interval_days < before.course_interval_days:
        found.append(f"{after.treatment_name} sessions may be closer together")
    return found

"""Who may treat, connected to the booking engine (see apps.py): the staff filter and the booking check.

`qualified_staff` narrows every availability answer and every placement (bookings' load_schedule) to the
staff qualified for a restricted treatment on each day. `check_visit` refuses, on every path that puts a
visit in the diary, a customer who declared being under the treatment's minimum age (customer_too_young)
and a prescription-only treatment without a prescription from a prescriber for this client covering the
day (prescriber_consultation_required). A practitioner's override does not apply to either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from pamper.catalog.models import Treatment
from pamper.catalog.practitioner_rules import rule_for
from pamper.clinical.models import QuestionnaireResponse
from pamper.clinical.who_may_treat import Prescription as PurePrescription
from pamper.clinical.who_may_treat import may_treat, prescription_needed
from pamper.errors import Refusal
from pamper.venues.models import Client, Service, Venue

from .models import Prescription
from .queries import EMPTY, credentials_of, qualified_for, rules_by_service

UNDER_18 = 17  # the age the questionnaire's "under 18: yes" stands for (its only age question)


def qualified_staff(*, venue: Venue, treatments: dict[int, str | None], staff_ids: Sequence[int], first: dt.date,
                    last: dt.date) -> dict[int, dict[int, list[tuple[dt.date, dt.date]]]]:
    """The bookings door (hooks.qualified_staff): reads nothing when no service is restricted."""
    return qualified_for(venue, rules_by_service(venue, treatments), staff_ids, first, last)


def _declared_age(client: Client | None, treatment_id: int) -> int | None:
    """UNDER_18 when the client's latest answers for the treatment say they are under 18, else None (unknown)."""
    if client is None or client.pk is None:
        return None
    latest = (QuestionnaireResponse.objects.filter(client=client, questionnaire__treatment_id=treatment_id)
              .order_by("-submitted_at", "-id").first())
    return UNDER_18 if latest is not None and (latest.answers or {}).get("under-18") is True else None


def _prescriptions(client: Client | None, venue: Venue, treatment: Treatment) -> list[PurePrescription]:
    if client is None or client.pk is None:
        return []
    rows = list(Prescription.objects.filter(client=client, venue=venue, treatment=treatment))
    creds = credentials_of(venue.id) if rows else {}
    return [PurePrescription(treatment.slug, creds.get(p.prescriber_id, EMPTY).is_prescriber_on(p.issued_on),
                             p.issued_on, p.valid_until) for p in rows]


def _treatments(services: list[Service], ids: set[int]) -> list[Treatment]:
    """The visit's treatments in id order: from the services when they were loaded with them (the booking API
    does), else read in one query."""
    if all(Service.treatment.is_cached(s) for s in services if s.treatment_id):
        by_id = {s.treatment_id: s.treatment for s in services if s.treatment_id}
        return [by_id[i] for i in sorted(by_id)]
    return list(Treatment.objects.filter(id__in=ids).order_by("id"))


def check_visit(*, customer: Any, venue: Venue, services: list[Service], start: dt.datetime, now: dt.datetime,
                override: Any, booking: Any) -> None:
    """Refusal 422 customer_too_young or prescriber_consultation_required; None when the visit may go ahead."""
    ids = {s.treatment_id for s in services if s.treatment_id}
    if not ids:
        return None
    day = start.astimezone(venue.tz).date()
    for treatment in _treatments(services, ids):
        rule = rule_for(treatment.slug, venue.country)
        if rule is None:
            continue
        if rule.min_age is not None:
            decision = may_treat(rule, EMPTY, day, customer_age=_declared_age(customer, treatment.id))
            if decision.code == "customer_too_young":
                raise Refusal(422, "customer_too_young",
                              _("%(treatment)s is not given to anyone under %(age)s.")
                              % {"treatment": treatment.name, "age": rule.min_age}, min_age=rule.min_age)
        if not prescription_needed(rule, _prescriptions(customer, venue, treatment), day).allowed:
            raise Refusal(422, "prescriber_consultation_required",
                          _("%(treatment)s is a prescription-only medicine: book a consultation with a prescriber "
                            "first. It can be booked once they have prescribed it for you.")
                          % {"treatment": treatment.name}, treatment=treatment.slug)
    return None

"""Where a customer stands on a treatment's pathway at a venue: what the pages and the API show.

A summary of the rules pathway.py enforces (it decides nothing a booking relies on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from pamper.catalog.models import Treatment
from pamper.clinical.models import PathwayStatus, ReviewStatus
from pamper.clinical.queries import (
    answered_questionnaire,
    blocking_reaction,
    latest_response,
    passed_tests,
    pending_tests,
)
from pamper.clinical.queries import consultation_service as find_consultation_service
from pamper.venues.models import Client, Service, Venue


@dataclass(frozen=True)
class PathwayState:
    """Where a customer stands on one treatment's pathway at one venue, for pages and the API."""

    treatment: Treatment
    status: PathwayStatus
    venue: Venue = field(repr=False, compare=False)
    valid_until: dt.datetime | None = None
    earliest_treatment: dt.datetime | None = None
    questionnaire_done: bool = False

    @cached_property
    def consultation_service(self) -> Service | None:
        """The venue's consultation service for the treatment, read when first asked (the booking page's gate
        never asks, and saves the query)."""
        return find_consultation_service(self.venue, self.treatment) if self.treatment.has_pathway else None


def pathway_state(*, client: Client | None, venue: Venue, treatment: Treatment, now: dt.datetime) -> PathwayState:
    """Summarise the pathway rules for one customer, treatment and venue as of now."""
    response = latest_response(client, treatment)
    answered = answered_questionnaire(client, treatment, now) is not None
    base = {"treatment": treatment, "venue": venue, "questionnaire_done": answered}
    if not treatment.has_pathway:
        return PathwayState(status=PathwayStatus.NOT_NEEDED, **base)
    if blocking_reaction(client, treatment) is not None:
        return PathwayState(status=PathwayStatus.REACTION, **base)
    if response is not None and response.blocks_booking:
        return PathwayState(status=PathwayStatus.DECLINED if response.review_status == ReviewStatus.DECLINED
                            else PathwayStatus.REVIEW, **base)
    valid = [t for t in passed_tests(client, treatment) if t.valid_until() > now]
    if valid:
        best = max(valid, key=lambda t: t.applied_at)
        return PathwayState(status=PathwayStatus.READY, valid_until=best.valid_until(),
                            earliest_treatment=max(treatment.earliest_after(best.applied_at), now), **base)
    pending = pending_tests(client, treatment)
    if pending:
        return PathwayState(status=PathwayStatus.AWAITING_RESULT,
                            earliest_treatment=treatment.earliest_after(pending[0]), **base)
    return PathwayState(status=PathwayStatus.NEEDS_CONSULTATION, **base)

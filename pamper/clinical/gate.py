"""The booking page's gate (bookings.hooks.register_booking_gate): before it offers times for a treatment with a
pathway, where the customer stands decides whether those times may be offered at all, and from when.

Read only. It mirrors what pathway.check_visit would refuse, so the page never offers a time the booking then
turns down: with no passed or pending patch test, the way on is the pathway checkout, not a slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pamper.clinical import queries
from pamper.clinical.models import PathwayStatus
from pamper.clinical.state import pathway_state
from pamper.venues.models import Service, ServiceKind, Venue


@dataclass(frozen=True)
class Gate:
    service: Service
    open: bool
    not_before: dt.datetime | None = None
    message: str = ""
    action_url: str = ""
    action_label: str = ""


def booking_gate(*, customer: Any, venue: Venue, service: Service, now: dt.datetime) -> Gate | None:
    """None for a service with no pathway; else whether its times may be offered to `customer` (anonymous:
    as a first-time customer) and from when, or why not and what to do instead."""
    treatment = service.treatment
    if service.kind != ServiceKind.TREATMENT or not treatment.has_pathway:
        return None
    state = pathway_state(client=queries.client_for(customer, venue), venue=venue, treatment=treatment, now=now)
    if state.status in (PathwayStatus.READY, PathwayStatus.AWAITING_RESULT, PathwayStatus.NOT_NEEDED):
        return Gate(service, True, not_before=max(state.earliest_treatment or now, now))
    checkout = reverse("clinical:checkout", args=[service.pk])
    if state.status == PathwayStatus.NEEDS_CONSULTATION:
        if treatment.needs_patch_test:
            message = _("%(service)s starts with a consultation and patch test. Choose both times together in "
                        "the pathway checkout; no treatment time is shown here until then.")
        else:
            message = _("%(service)s starts with a consultation. Choose both times together in the pathway "
                        "checkout; no treatment time is shown here until then.")
        return Gate(service, False, message=message % {"service": service.name},
            action_url=checkout, action_label=_("Book the consultation and %(service)s") % {"service": service.name})
    if state.status == PathwayStatus.REVIEW:
        return Gate(service, False, message=_(
            "A practitioner at %(venue)s reviews your medical questionnaire answers before %(service)s can be "
            "booked.") % {"venue": venue.name, "service": service.name},
            action_url=checkout, action_label=_("See what you can book now"))
    if state.status == PathwayStatus.DECLINED:
        return Gate(service, False, message=_(
            "After reviewing your answers, a practitioner at %(venue)s found %(service)s not suitable for you.")
            % {"venue": venue.name, "service": service.name},
            action_url=checkout, action_label=_("See the alternatives"))
    return Gate(service, False, message=_(
        "Your last patch test for %(treatment)s at %(venue)s showed a reaction, so it cannot be booked online. "
        "Please talk to the venue.") % {"treatment": treatment.name, "venue": venue.name})

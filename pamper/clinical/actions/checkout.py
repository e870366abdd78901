"""Bookings through the pathway: the customer's one checkout (consultation and treatment together) and the
practitioner's booking past the pathway rules, with the reason."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings import hooks, paying
from pamper.bookings.actions import book_visit, cancel_booking
from pamper.bookings.models import Booking, Source, Status
from pamper.clinical import pathway, queries
from pamper.clinical.models import PathwayOverride
from pamper.errors import Refusal
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

logger = logging.getLogger(__name__)


@dataclass
class PathwayBooking:
    consultation: Booking
    treatment: Booking
    payment: dict[str, Any] | None = None  # the treatment's payment to make (the venue's policy), as the API's
    consultation_payment: dict[str, Any] | None = None  # the consultation's, when the venue charges consultations


def book_pathway(*, user: User, venue: Venue, treatment_service: Service, consultation_start: dt.datetime,
                 treatment_start: dt.datetime, now: dt.datetime, consultation_staff: Staff | None = None,
                 treatment_staff: Staff | None = None, notes: str = "") -> PathwayBooking:
    """Book the consultation (with patch test) and the treatment together, or neither.

    The treatment must start at least the lead time after the consultation
    ends; it is booked in status awaiting_patch_test, depending on the
    consultation booking. Raises the booking engine's and the pathway's
    refusals (409 slot_taken, 422 patch_test_lead_time, ...), and 409
    pathway_not_needed when a valid test already covers the treatment time.
    """
    treatment = treatment_service.treatment
    if treatment_service.kind != ServiceKind.TREATMENT or not treatment.has_pathway:
        raise Refusal(
            422,
            "no_pathway",
            gettext("%(treatment_service_name)s needs no consultation: book it directly.")
            % {"treatment_service_name": treatment_service.name},
        )
    consultation_service = queries.consultation_service(venue, treatment)
    if consultation_service is None:
        raise Refusal(
            422,
            "no_consultation_service",
            gettext("%(venue_name)s does not take consultations for %(treatment_name)s online: please contact them.")
            % {"venue_name": venue.name, "treatment_name": treatment.name},
        )
    client = Client.objects.filter(venue=venue, user=user).first()
    # The medical questionnaire is asked by the one pathway check (pathway.check_visit) when the consultation
    # is booked.
    if any(treatment.patch_test_covers(t.applied_at, treatment_start) for t in queries.passed_tests(client, treatment)):
        raise Refusal(
            409,
            "pathway_not_needed",
            gettext("Your patch test for %(treatment_name)s is still valid at that time: book the treatment directly.")
            % {"treatment_name": treatment.name},
        )
    # Each visit asks what the venue's payment policy says, as any booking does: a paid one holds its slot in
    # pending_payment until Stripe reports the payment (a consultation is charged only when the venue says so).
    consultation_paid = hooks.payment_quote(venue=venue, services=[consultation_service]) is not None
    paid = hooks.payment_quote(venue=venue, services=[treatment_service]) is not None
    with transaction.atomic():
        consultation = (paying.book_for_payment if consultation_paid else book_visit)(
            venue=venue,
            services=[consultation_service],
            start=consultation_start,
            customer=user,
            staff=consultation_staff,
            notes=notes,
            now=now,
        )
        # A paid treatment turns awaiting_patch_test once paid (paying.confirm_payment runs the pathway).
        booked = (paying.book_for_payment if paid else book_visit)(
            venue=venue,
            services=[treatment_service],
            start=treatment_start,
            customer=user,
            staff=treatment_staff,
            notes=notes,
            depends_on=consultation,
            now=now,
        )
        if booked.status != (Status.PENDING_PAYMENT if paid else Status.AWAITING_PATCH_TEST):
            # Only an override could do this; the checkout never carries one, so refuse rather than guess.
            raise Refusal(
                409, "pathway_not_needed", gettext("The treatment does not need to wait for this consultation.")
            )
    done = PathwayBooking(consultation=consultation, treatment=booked)
    try:  # outside the transaction: Stripe is never called holding the diary's locks
        if consultation_paid:
            done.consultation_payment = hooks.start_payment(booking=consultation, now=now)
        if paid:
            done.payment = hooks.start_payment(booking=booked, now=now)
    except Refusal:
        for gone in (booked, consultation):  # both or neither, as the docstring says
            cancel_booking(booking=gone, actor=user, now=now, notify=False)
        raise
    return done


def book_consultation(*, user: User, venue: Venue, service: Service, start: dt.datetime, now: dt.datetime
                      ) -> tuple[Booking, dict[str, Any] | None]:
    """The consultation alone (answers waiting for a practitioner's review): (booking, its payment to make or
    None). A venue that charges consultations holds the slot in pending_payment until it is paid."""
    if hooks.payment_quote(venue=venue, services=[service]) is None:
        return book_visit(venue=venue, services=[service], start=start, customer=user, now=now), None
    booking = paying.book_for_payment(venue=venue, services=[service], start=start, customer=user, now=now)
    try:
        return booking, hooks.start_payment(booking=booking, now=now)
    except Refusal:
        cancel_booking(booking=booking, actor=user, now=now, notify=False)
        raise


def check_override_start(start: dt.datetime, now: dt.datetime) -> None:
    """A booking made past the pathway is for the coming year (or a late entry from the last month)."""
    if not now - dt.timedelta(days=31) <= start <= now + dt.timedelta(days=366):
        raise Refusal(422, "invalid_start", gettext("Choose a start within the next year."))


def book_past_pathway(
    *,
    by: User,
    client: Client,
    services: Sequence[Service],
    start: dt.datetime,
    reason: str,
    now: dt.datetime,
    staff: Staff | None = None,
) -> Booking:
    """A practitioner books a visit for the venue's client past the pathway rules, with the reason; returns it.

    The pathway check lets through (and lists) the rules it waives for a
    clinical member of staff with a reason (403 override_not_allowed, 422
    override_reason_required otherwise); each waiver is written to
    PathwayOverride with the booking, or neither. The booking engine's refusals
    (409 slot_taken, ...) and 422 invalid_start (outside the coming year) as is.
    """
    check_override_start(start, now)
    override = pathway.Override(by=by, reason=reason, client=client)
    with transaction.atomic():
        booking = book_visit(
            venue=client.venue,
            services=services,
            start=start,
            client=client,
            staff=staff,
            source=Source.PARTNER,
            now=now,
            clinical_override=override,
        )
        _record_overrides(override, now)
    return booking


def _record_overrides(override: pathway.Override, now: dt.datetime) -> list[PathwayOverride]:
    """Write the rules the pathway check waived (pathway.Override.waived) to the clinical record."""
    rows = [
        PathwayOverride.objects.create(
            venue=w.venue,
            client=w.client,
            treatment=w.treatment,
            rule=w.rule,
            start=w.start,
            reason=override.reason.strip()[:2000],
            created_by=override.by,
            created_at=now,
        )
        for w in override.waived
    ]
    for w in override.waived:
        logger.info(
            "pathway override of %s for treatment %s at venue %s by user %s",
            w.rule,
            w.treatment.pk,
            w.venue.pk,
            override.by.pk,
        )
    return rows

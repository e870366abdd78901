"""Consultation and patch-test results: recording one confirms or cancels the treatments waiting for it;
a reaction blocks online booking until a practitioner clears it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings.actions import end_patch_test_wait, link_to_consultation
from pamper.bookings.models import Booking, BookingItem, CancelCause, Status
from pamper.catalog.models import Treatment
from pamper.clinical import timing
from pamper.clinical.actions.common import check_time, clean_text, notify, require_clinical
from pamper.clinical.actions.waiting import cancel_booking_for_clinical_reason
from pamper.clinical.models import Consultation, Outcome
from pamper.errors import Refusal
from pamper.venues.models import Client, ServiceKind, Venue


@dataclass
class PatchTestResult:
    consultation: Consultation
    confirmed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    still_waiting: list[int] = field(default_factory=list)


def _consultation_item(booking: Booking, treatment: Treatment) -> BookingItem:
    item = booking.items.filter(service__kind=ServiceKind.CONSULTATION, service__treatment=treatment).first()
    if item is None:
        raise Refusal(
            422,
            "not_a_consultation",
            gettext("Booking %(booking_pk)s holds no consultation for %(treatment_name)s.")
            % {"booking_pk": booking.pk, "treatment_name": treatment.name},
        )
    return item


def record_patch_test(
    *,
    by: User,
    venue: Venue,
    treatment: Treatment,
    outcome: str,
    read_at: dt.datetime,
    now: dt.datetime,
    booking: Booking | None = None,
    client: Client | None = None,
    applied_at: dt.datetime | None = None,
    product: str = "",
    batch: str = "",
    notes: str = "",
    late_reason: str = "",
) -> PatchTestResult:
    """Record the result of a consultation / patch test, then act on the treatments waiting for it.

    No reaction confirms the waiting treatments the test covers (lead time and
    validity); a reaction cancels every upcoming booking of that treatment for
    the client at the venue and blocks online booking until cleared. Either way
    the customer is told (notifications, on the consultation booking).

    The test is applied no earlier than its consultation booking starts (or,
    without one, than the client's record) and read after it was applied, none
    of it in the future; a result read more than a day ago needs `late_reason`,
    which goes to the audit log (timing.py). Refusal 422 with `field` otherwise.
    """
    role = require_clinical(by, venue)
    if outcome not in (Outcome.PASSED, Outcome.REACTION):
        raise Refusal(422, "invalid_outcome", gettext("The outcome is 'passed' (no reaction) or 'reaction'."))
    with transaction.atomic():
        window = None
        if booking is not None:
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            if booking.venue_id != venue.pk:
                raise Refusal(404, "not_found", gettext("Not found."))
            client = booking.client
            item = _consultation_item(booking, treatment)
            applied_at = applied_at or item.end
            window = timing.booking_window(item.start, None, now, "consultation")
        if client is None or applied_at is None:
            raise Refusal(
                422,
                "consultation_unknown",
                gettext("Give the consultation booking, or the client and when the test was applied."),
            )
        late = _check_times(applied_at, read_at, now, venue, window or timing.client_window(client, now), late_reason)
        consultation = _save_result(
            venue=venue,
            client=client,
            treatment=treatment,
            booking=booking,
            outcome=outcome,
            applied_at=applied_at,
            read_at=read_at,
            by=by,
            now=now,
            product=clean_text(product, "product", 200),
            batch=clean_text(batch, "batch number", 100),
            notes=clean_text(notes, "notes"),
        )
        if late:
            timing.log_late_entry(
                venue=venue,
                by=by,
                role=role,
                record_type="consultation",
                record_id=consultation.pk,
                field="read_at",
                event_at=read_at,
                reason=late,
                now=now,
            )
        if outcome == Outcome.PASSED:
            result = _confirm_covered(consultation, now)
        else:
            result = _cancel_after_reaction(consultation, by, now)
        _tell_customer(result, booking, outcome)
    return result


def _check_times(
    applied_at: dt.datetime,
    read_at: dt.datetime,
    now: dt.datetime,
    venue: Venue,
    window: timing.Window,
    late_reason: str,
) -> str:
    """Applied inside `window`, read after that and by now; the late-entry reason to log, or ""."""
    # Lateness is judged on the reading, the entry's own event.
    timing.check_event_time(
        applied_at,
        field="applied_at",
        label=gettext("Test applied at"),
        window=window,
        now=now,
        venue=venue,
        late_reason=None,
    )
    read_window = timing.after_applied_window(applied_at, now)
    try:
        return check_time(
            read_at,
            field="read_at",
            label=gettext("Result read at"),
            window=read_window,
            now=now,
            venue=venue,
            late_reason=late_reason,
        )
    except Refusal as exc:
        if exc.code == "time_out_of_range":
            raise Refusal(
                422,
                "read_before_applied",
                gettext("The result cannot be read before the test was applied."),
                field="read_at",
            ) from exc
        raise


def _save_result(
    *, venue: Venue, client: Client, treatment: Treatment, booking: Booking | None, **values: Any
) -> Consultation:
    by, now = values.pop("by"), values.pop("now")
    values.update(recorded_by=by, recorded_at=now, venue=venue, client=client)
    if booking is not None:
        consultation, _ = Consultation.objects.update_or_create(booking=booking, treatment=treatment, defaults=values)
        return consultation
    return Consultation.objects.create(treatment=treatment, booking=None, created_at=now, **values)


def _treatment_bookings(consultation: Consultation, statuses: Iterable[str]) -> list[Booking]:
    return list(
        Booking.objects.select_for_update()
        .filter(
            client=consultation.client,
            status__in=list(statuses),
            pk__in=BookingItem.objects.filter(
                service__treatment=consultation.treatment, service__kind=ServiceKind.TREATMENT
            ).values("booking_id"),
        )
        .order_by("start")
    )


def _treatment_start(booking: Booking, treatment: Treatment) -> dt.datetime:
    item = booking.items.filter(service__treatment=treatment, service__kind=ServiceKind.TREATMENT).first()
    return item.start if item else booking.start


def _confirm_covered(consultation: Consultation, now: dt.datetime) -> PatchTestResult:
    result = PatchTestResult(consultation)
    treatment = consultation.treatment
    for booking in _treatment_bookings(consultation, [Status.AWAITING_PATCH_TEST]):
        if treatment.patch_test_covers(consultation.applied_at, _treatment_start(booking, treatment)):
            end_patch_test_wait(booking=booking, depends_on_id=booking.depends_on_id or consultation.booking_id)
            result.confirmed.append(booking.pk)
        else:
            result.still_waiting.append(booking.pk)
    return result


def _cancel_after_reaction(consultation: Consultation, by: User, now: dt.datetime) -> PatchTestResult:
    result = PatchTestResult(consultation)
    upcoming = [
        b
        for b in _treatment_bookings(
            consultation, [Status.AWAITING_PATCH_TEST, Status.PENDING, Status.CONFIRMED, Status.HELD]
        )
        if b.start > now
    ]
    for booking in upcoming:
        if booking.status == Status.AWAITING_PATCH_TEST and booking.depends_on_id is None:
            # It was waiting for this very test: link it, so the result message lists it.
            link_to_consultation(booking=booking, consultation_id=consultation.booking_id)
        listed = consultation.booking_id is not None and booking.depends_on_id == consultation.booking_id
        if cancel_booking_for_clinical_reason(
            booking=booking,
            by=by,
            now=now,
            notify=not listed,  # the result message tells of those it lists
            reason=CancelCause.PATCH_TEST_REACTION,
        ):
            result.cancelled.append(booking.pk)
    return result


def _tell_customer(result: PatchTestResult, booking: Booking | None, outcome: str) -> None:
    """The result on the consultation booking (listing the treatments it confirmed or cancelled); a separate
    confirmation for confirmed treatments it does not list. Cancellations were told when they were made."""
    kind = "patch_test_passed" if outcome == Outcome.PASSED else "patch_test_failed"
    others = Booking.objects.filter(pk__in=result.confirmed)
    if booking is not None:
        notify(booking.pk, kind)
        others = others.exclude(depends_on=booking)
    for other in others.only("pk"):
        notify(other.pk, "confirmed")


def clear_reaction(*, by: User, consultation: Consultation, reason: str, now: dt.datetime) -> Consultation:
    """Lift the online-booking block after a reaction; the customer then needs a new consultation and test."""
    require_clinical(by, consultation.venue)
    if not consultation.blocks_booking:
        raise Refusal(409, "nothing_to_clear", gettext("This result does not block booking."))
    reason = clean_text(reason, "reason", 1000)
    if len(reason) < 5:
        raise Refusal(422, "reason_required", gettext("Say why the block can be lifted."))
    consultation.cleared_by, consultation.cleared_at, consultation.clear_reason = by, now, reason
    consultation.save(update_fields=["cleared_by", "cleared_at", "clear_reason"])
    return consultation

"""Treatments waiting for a consultation: cancelled when the pathway no longer allows them, through the
booking engine's cancel, and re-linked when another consultation still covers them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from pamper.accounts.models import User
from pamper.bookings.actions import cancel_booking, link_to_consultation
from pamper.bookings.models import CHANGEABLE, Booking, BookingItem, CancelCause, Status
from pamper.clinical import queries
from pamper.venues.models import ServiceKind


def cancel_booking_for_clinical_reason(*, booking: Booking, by: User | None, reason: CancelCause, now: dt.datetime,
                                       notify: bool = True) -> bool:
    """Cancel a booking because the pathway no longer allows it, through the booking engine's cancel (which
    frees its diary time, refreshes search, tells people and takes its own dependants with it).

    Returns False when the booking was no longer changeable (already cancelled, e.g. along with its
    consultation).
    """
    if not Booking.objects.filter(pk=booking.pk, status__in=list(CHANGEABLE)).exists():
        return False
    cancel_booking(booking=booking, actor=by, by_venue=True, reason=reason, now=now, notify=notify)
    return True


def cancel_waiting_treatments(*, consultation_booking: Booking, by: User | None, now: dt.datetime) -> list[int]:
    """When a consultation booking goes (cancelled, released, expired or missed), the bookings that depended
    on it go too, and only those. Returns the ids cancelled.

    Those are the bookings linked to it (depends_on) still waiting (or held),
    and the client's waiting bookings with no link whose treatment it covered.
    One that another consultation or a passed test still covers stays, now
    linked to that consultation. For bookings.actions, inside its transaction.
    """
    gone = consultation_booking.pk
    treatments = set(consultation_booking.items.filter(service__kind=ServiceKind.CONSULTATION)
                     .values_list("service__treatment_id", flat=True))
    linked = Q(depends_on_id=gone, status__in=[Status.AWAITING_PATCH_TEST, Status.HELD])
    unlinked = Q(client_id=consultation_booking.client_id, depends_on__isnull=True,
                 status=Status.AWAITING_PATCH_TEST)
    ends = {item.service.treatment_id: item.end for item in consultation_booking.items.select_related("service")
            if item.service.kind == ServiceKind.CONSULTATION}
    cancelled = []
    for booking in Booking.objects.filter(linked | unlinked).exclude(pk=gone).order_by("start", "pk"):
        items = _waiting_items(booking)
        if booking.depends_on_id != gone and not any(
            i.service.treatment_id in treatments
            and i.service.treatment.patch_test_covers(ends[i.service.treatment_id], i.start)
            for i in items
        ):
            continue  # it never waited for this consultation
        still, relied_on = _still_covered(booking, items, gone)
        if still:
            if relied_on != booking.depends_on_id:
                link_to_consultation(booking=booking, consultation_id=relied_on)
        elif cancel_booking_for_clinical_reason(booking=booking, by=by, now=now,
                                                reason=CancelCause.CONSULTATION_GONE):
            cancelled.append(booking.pk)
    return cancelled


def _waiting_items(booking: Booking) -> list[BookingItem]:
    """The booking's treatment items that follow a pathway (what can wait for a consultation)."""
    return [i for i in booking.items.select_related("service__treatment")
            if i.service.kind == ServiceKind.TREATMENT and i.service.treatment.has_pathway]


def _still_covered(booking: Booking, items: list[BookingItem], gone: int) -> tuple[bool, int | None]:
    """Whether every waiting item is covered without consultation booking `gone`, and the outside consultation
    booking it then waits for (None when covered by a passed test or its own consultation)."""
    relied_on: int | None = None
    for item in items:
        covered, by = queries.covering_consultation(booking.client, item.service.treatment, item.start,
                                                    exclude_booking_id=gone)
        if not covered:
            return False, None
        if by is not None and by != booking.pk and relied_on is None:
            relied_on = by
    return True, relied_on

"""The booking verbs of a visit that is paid (or whose card is kept) when booking: status pending_payment.

Only bookings writes booking status; payments calls these. A visit waiting
for its payment holds its slot (its items stay active, so nobody else can
take it) until `hold_expires_at`; Stripe's success confirms it
(`confirm_payment`), and a failed or abandoned payment lets the hold run out
(`expire_payment_holds`). A success that comes after the hold ran out finds
the booking expired: payments then refunds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.venues.models import Service, ServiceKind, Staff, Venue

from . import actions, hooks, nextfree
from .models import Booking, BookingItem, Status

# Long enough to type a card and pass the bank's check (3-D Secure).
PAYMENT_HOLD_MINUTES = 15


def book_for_payment(*, venue: Venue, services: Sequence[Service], start: dt.datetime, customer: User,
                     staff: Staff | int | None = None, notes: str = "", now: dt.datetime | None = None,
                     minutes: int = PAYMENT_HOLD_MINUTES, depends_on: Booking | None = None) -> Booking:
    """Book like `actions.book_visit` (same checks and refusals), in status pending_payment for `minutes`.
    `depends_on`: the consultation a treatment waits for (clinical's combined checkout); once paid, the
    pathway check puts it in awaiting_patch_test (`confirm_payment`)."""
    now = now or clock.now()
    with transaction.atomic():
        booking = actions.book_visit(venue=venue, services=services, start=start, customer=customer, staff=staff,
                                     notes=notes, status=Status.PENDING_PAYMENT, now=now, depends_on=depends_on)
        booking.hold_expires_at = now + dt.timedelta(minutes=minutes)
        Booking.objects.filter(pk=booking.pk).update(hold_expires_at=booking.hold_expires_at)
    return booking


def await_payment(*, booking: Booking, notes: str = "", now: dt.datetime | None = None,
                  minutes: int = PAYMENT_HOLD_MINUTES) -> Booking:
    """A checkout hold goes on to payment: pending_payment for `minutes`. Idempotent while it waits.

    Refusal 409 hold_expired when the checkout hold ran out, 409 not_changeable once cancelled or booked.
    """
    now = now or clock.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("venue").get(pk=booking.pk)
        if booking.status == Status.PENDING_PAYMENT and booking.hold_expires_at and booking.hold_expires_at > now:
            return booking
        if booking.status in (Status.EXPIRED, Status.HELD) and (
                booking.hold_expires_at is None or booking.hold_expires_at <= now):
            raise Refusal(409, "hold_expired", gettext("The time we kept for you ran out. Please choose a time again."))
        if booking.status != Status.HELD:
            raise actions.not_changeable(booking)
        booking.status, booking.notes = Status.PENDING_PAYMENT, notes[:2000]
        booking.hold_expires_at = now + dt.timedelta(minutes=minutes)
        booking.save(update_fields=["status", "notes", "hold_expires_at", "updated_at"])
    return booking


def confirm_payment(*, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Stripe reported the payment (or the card kept): the booking is confirmed (or pending, or waiting for a
    patch test, as the venue and the pathway say) and announced. Returns the booking.

    Idempotent: a booking already past pending_payment is returned unchanged. A hold that ran out is expired
    here (if the sweep has not yet) and returned expired: the caller refunds the payment.
    """
    now = now or clock.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("venue", "client").get(pk=booking_id)
        if booking.status != Status.PENDING_PAYMENT:
            return booking
        if booking.hold_expires_at is not None and booking.hold_expires_at <= now:
            _expire([booking.pk], now)
            booking.refresh_from_db()
            return booking
        services = [i.service for i in booking.items.select_related("service").order_by("position")]
        found, relied_on = hooks.run_booking_checks(
            customer=booking.client,
            venue=booking.venue,
            services=services,
            start=booking.start,
            now=now,
            override=None,
            booking=booking,
        )
        booking.status = found or (Status.CONFIRMED if booking.venue.auto_confirm else Status.PENDING)
        booking.depends_on_id = relied_on if found else booking.depends_on_id
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "depends_on", "hold_expires_at", "updated_at"])
        hooks.announce(booking.id, "created")
    return booking


def _expire(ids: Sequence[int], now: dt.datetime) -> int:
    count = Booking.objects.filter(id__in=ids, status=Status.PENDING_PAYMENT, hold_expires_at__lte=now).update(
        status=Status.EXPIRED
    )
    BookingItem.objects.filter(booking_id__in=ids, booking__status=Status.EXPIRED).update(active=False)
    for expired in Booking.objects.filter(id__in=ids, status=Status.EXPIRED).values_list("id", flat=True):
        hooks.announce(expired, "expired", quiet=True)  # payments gives back what gift cards paid toward it
    gone = Booking.objects.filter(id__in=ids, status=Status.EXPIRED, items__service__kind=ServiceKind.CONSULTATION)
    for consultation in gone.distinct().order_by("id"):
        hooks.run_release_handlers(consultation_booking=consultation, by=None, now=now)
    for venue_id in set(Booking.objects.filter(id__in=ids).values_list("venue_id", flat=True)):
        nextfree.schedule_refresh(venue_id)
    return count


def expire_payment_holds(*, now: dt.datetime | None = None) -> list[int]:
    """Free every visit whose payment did not come in time. Returns the ids of the bookings expired."""
    now = now or clock.now()
    ids = list(
        Booking.objects.filter(status=Status.PENDING_PAYMENT, hold_expires_at__lte=now).values_list("id", flat=True)[
            :1000
        ]
    )
    if not ids:
        return []
    with transaction.atomic():
        locked = list(
            Booking.objects.select_for_update()
            .filter(id__in=ids, status=Status.PENDING_PAYMENT, hold_expires_at__lte=now)
            .values_list("id", flat=True)
        )
        _expire(locked, now)
    return locked


def release_for_payment_failure(
    *, booking: Booking, actor: User | None = None, now: dt.datetime | None = None
) -> Booking:
    """The customer gives up paying: the slot is freed at once (a cancel, as for a checkout hold)."""
    return actions.cancel_booking(booking=booking, actor=actor, now=now, notify=False)

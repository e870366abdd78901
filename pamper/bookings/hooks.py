"""The doors through which apps above bookings take part in its writes, without bookings importing them.

Bookings stands below clinical and notifications (DESIGN.md, "Layout"), yet a
booking must pass the clinical pathway and must be told to the customer. The
upper apps connect here in their AppConfig.ready():

- **Booking checks** (`register_booking_check`): rules a visit must pass
  before it goes in the diary, run by every action that puts one there
  (book_visit, confirm_hold, reschedule_booking) inside its transaction. The
  clinical pathway is one. A safety rule must not fail open: with no check
  registered, `run_booking_checks` raises ImproperlyConfigured and nothing is
  booked.
- **Release handlers** (`register_release_handler`): when a booking holding a
  consultation leaves the diary (cancelled, released, expired, missed), what
  depended on it goes too (clinical). Required as well: with none registered
  the release fails loudly rather than leave treatments waiting on nothing.
- **The staff filter** (`register_staff_filter`): who may perform a restricted
  treatment on which days (practitioners: registrations, supervision, training,
  insurance). `load_schedule` asks it for every availability answer and every
  placement, so "anyone" means anyone qualified. It fails closed too: with none
  registered, nothing is offered (ImproperlyConfigured).
- **The payment gate** (`register_payment_gate`): what a visit costs up
  front under the venue's policies (a deposit, prepayment, a card kept on
  file), and the payment started for a booking that waits for one (status
  pending_payment). Payments connects it; with none registered, every visit
  is paid at the venue (the behaviour without Stripe keys).
- **`booking_changed`** (a Django signal, `announce`): sent once per change
  inside the writer's transaction, with `booking_id` and `kind` ("created",
  "moved", "cancelled", ... and clinical's "patch_test_passed" ...).
  Notifications acts on it after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from pamper.lib import clock

from .models import Booking

booking_changed = Signal()  # keyword arguments: booking_id (int), kind (str)


class Verdict(Protocol):
    """What a booking check answers: a status to book in instead of the default (None: as usual) and the
    booking the visit then depends on (None: nothing)."""

    status: str | None
    depends_on_id: int | None


class BookingCheck(Protocol):
    def __call__(self, *, customer: Any, venue: Any, services: list[Any], start: dt.datetime, now: dt.datetime,
                 override: Any, booking: Booking | None) -> Verdict | None: ...


ReleaseHandler = Callable[..., Any]  # called as handler(consultation_booking=, by=, now=)

class PaymentGate(Protocol):
    """Payments' side of a booking: `quote` says what a visit asks up front (None, or a quote whose `kind` is
    pay_at_venue: nothing); `start` begins the payment of a booking in pending_payment and returns its JSON;
    `summaries` gives each booking's payment summary (amounts and rules) for pages and JSON."""

    def quote(self, *, venue: Any, services: Sequence[Any]) -> Any: ...
    def start(self, *, booking: Booking, now: dt.datetime) -> dict[str, Any]: ...
    def summaries(self, bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]: ...
    def describe(self, quote: Any, *, start: dt.datetime, tz: Any, grace: bool = False) -> list[str]: ...


_checks: list[BookingCheck] = []
_release_handlers: list[ReleaseHandler] = []
_payment_gates: list[PaymentGate] = []


def register_booking_check(check: BookingCheck, *, first: bool = False) -> BookingCheck:
    """Run `check` on every visit put in the diary (once, however often registered). Returns it.

    `first`: run it before the checks registered so far (a legal bar such as the customer's age is told
    before anything the customer could still fix).
    """
    if check not in _checks:
        _checks.insert(0 if first else len(_checks), check)
    return check


def unregister_booking_check(check: BookingCheck) -> None:
    """Stop running `check` (tests that prove a booking fails without one)."""
    if check in _checks:
        _checks.remove(check)


def run_booking_checks(*, customer: Any, venue: Any, services: Sequence[Any], start: dt.datetime, now: dt.datetime,
                       override: Any = None, booking: Booking | None = None) -> tuple[str | None, int | None]:
    """Run every registered check; returns (status to book in, booking depended on) from the first check that
    names a status, else (None, None). A check refuses by raising pamper.errors.Refusal.

    Raises ImproperlyConfigured when no check is registered: a visit is never booked unchecked.
    """
    if not _checks:
        raise ImproperlyConfigured("No booking check is registered (the clinical app registers the pathway check "
                                   "in ClinicalConfig.ready): refusing to book a visit unchecked.")
    found: tuple[str | None, int | None] = (None, None)
    for check in list(_checks):
        verdict = check(customer=customer, venue=venue, services=list(services), start=start, now=now,
                        override=override, booking=booking)
        if verdict is not None and verdict.status and found[0] is None:
            found = (verdict.status, verdict.depends_on_id)
    return found


def register_release_handler(handler: ReleaseHandler) -> ReleaseHandler:
    """Call `handler` whenever a booking holding a consultation leaves the diary (once, however often registered)."""
    if handler not in _release_handlers:
        _release_handlers.append(handler)
    return handler


def unregister_release_handler(handler: ReleaseHandler) -> None:
    if handler in _release_handlers:
        _release_handlers.remove(handler)


def run_release_handlers(*, consultation_booking: Booking, by: Any, now: dt.datetime) -> None:
    """Tell every release handler that `consultation_booking` left the diary, inside the caller's transaction.

    Raises ImproperlyConfigured when none is registered: the bookings depending on it must not be left behind.
    """
    if not _release_handlers:
        raise ImproperlyConfigured("No release handler is registered (the clinical app registers one in "
                                   "ClinicalConfig.ready): refusing to release a consultation alone.")
    for handler in list(_release_handlers):
        handler(consultation_booking=consultation_booking, by=by, now=now)


QualifiedDays = dict[int, dict[int, list[tuple[dt.date, dt.date]]]]  # {service id: {staff id: [(first, last)]}}


class StaffFilter(Protocol):
    def __call__(self, *, venue: Any, treatments: dict[int, str | None], staff_ids: Sequence[int],
                 first: dt.date, last: dt.date) -> QualifiedDays: ...


_staff_filters: list[StaffFilter] = []


def register_staff_filter(staff_filter: StaffFilter) -> StaffFilter:
    """Ask `staff_filter` who is qualified for which service on which days (once, however often registered)."""
    if staff_filter not in _staff_filters:
        _staff_filters.append(staff_filter)
    return staff_filter


def unregister_staff_filter(staff_filter: StaffFilter) -> None:
    if staff_filter in _staff_filters:
        _staff_filters.remove(staff_filter)


def qualified_staff(*, venue: Any, treatments: dict[int, str | None], staff_ids: Sequence[int], first: dt.date,
                    last: dt.date) -> QualifiedDays:
    """Who may perform the restricted services among `treatments` ({service id: treatment slug}), on which local
    days first..last. A service missing from the answer is not restricted; a staff member missing from a
    service's entry may not perform it at all. Several filters: a person must pass each one (their days meet).

    Raises ImproperlyConfigured when no filter is registered: availability never offers anyone unchecked.
    """
    if not _staff_filters:
        raise ImproperlyConfigured("No staff filter is registered (the practitioners app registers who may treat "
                                   "in its AppConfig.ready): refusing to offer practitioners unchecked.")
    found: QualifiedDays = {}
    for staff_filter in list(_staff_filters):
        answer = staff_filter(venue=venue, treatments=treatments, staff_ids=staff_ids, first=first, last=last)
        for service_id, by_staff in answer.items():
            if service_id not in found:
                found[service_id] = by_staff
                continue
            found[service_id] = {s: _meet(found[service_id][s], days) for s, days in by_staff.items()
                                 if s in found[service_id]}
    return found


def _meet(a: list[tuple[dt.date, dt.date]], b: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    return [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b if max(x[0], y[0]) <= min(x[1], y[1])]


def register_payment_gate(gate: PaymentGate) -> PaymentGate:
    """Ask `gate` what visits cost up front (one gate: a second registration replaces the first). Returns it."""
    _payment_gates[:] = [gate]
    return gate


def unregister_payment_gate(gate: PaymentGate) -> None:
    if gate in _payment_gates:
        _payment_gates.remove(gate)


def payment_quote(*, venue: Any, services: Sequence[Any]) -> Any:
    """The gate's quote when the visit must be paid (or a card kept) when booking; None to pay at the venue."""
    if not _payment_gates:
        return None
    found = _payment_gates[0].quote(venue=venue, services=services)
    return found if found is not None and found.needs_stripe else None


def fee_from_hours(*, venue: Any, services: Sequence[Any]) -> int:
    """How many hours before the start the visit's payment terms keep a late-cancellation fee (0: none)."""
    return quote_fee_hours(payment_quote(venue=venue, services=services))


def quote_fee_hours(quote: Any) -> int:
    """fee_from_hours of a quote already in hand (payment_quote's; None: no terms, 0)."""
    return quote.free_cancel_hours if quote is not None and quote.late_cancel_fee > 0 else 0


def fee_hours_of(bookings: Sequence[Booking]) -> dict[int, int]:
    """{booking id: hours before its start its payment terms keep a late-cancellation fee}, for the bookings
    whose terms keep one (payment_summaries' `fee_from_hours`, as the booking pages read it)."""
    return {pk: found["fee_from_hours"] for pk, found in payment_summaries(bookings).items()
            if found.get("fee_from_hours")}


def start_payment(*, booking: Booking, now: dt.datetime) -> dict[str, Any]:
    """Begin the payment of `booking` (status pending_payment): the API's `payment` object."""
    if not _payment_gates:
        raise ImproperlyConfigured("A booking waits for a payment but no payment gate is registered.")
    return _payment_gates[0].start(booking=booking, now=now)


def payment_terms(*, venue: Any, services: Sequence[Any], start: dt.datetime | None) -> list[str]:
    """The payment and cancellation rules of a visit in words, shown before the customer confirms ([]: none).

    `start` None: the time is still to be chosen, so deadlines are said in hours before the visit. A visit inside
    the venue's notice gets the free-cancellation grace after booking (Booking.grace_until)."""
    found = payment_quote(venue=venue, services=services)
    grace = start is not None and clock.now() > start - dt.timedelta(hours=venue.cancel_notice_hours)
    return _payment_gates[0].describe(found, start=start, tz=venue.tz, grace=grace) if found is not None else []


def payment_summaries(bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
    """{booking id: its payment summary} for the bookings that have one (none without a gate)."""
    return _payment_gates[0].summaries(bookings) if _payment_gates and bookings else {}


def announce(booking_id: int, kind: str, *, quiet: bool = False) -> None:
    """Send `booking_changed` for one change of booking `booking_id` (call it once per change).

    `quiet`: the caller tells the customer itself, so no message is sent for it; every other receiver acts.
    """
    booking_changed.send(sender=Booking, booking_id=booking_id, kind=kind, quiet=quiet)

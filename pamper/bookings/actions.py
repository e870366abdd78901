"""Writes on bookings. Every path that puts a visit in a diary goes through here.

Each action is keyword-only, owns its transaction (and nests inside a
caller's, e.g. clinical's "consultation + treatment" checkout), raises
`pamper.errors.Refusal` with a specific code for anything the caller must tell
a person, and tells notifications and the search index after commit.

Double booking is impossible by construction: the check and the insert run
in one transaction, which on SQLite is BEGIN IMMEDIATE (one writer at a time)
and on PostgreSQL is backed by the exclusion constraints of migration 0002,
whose violation becomes a 409. Where a visit goes and how its rows are written
(locks, race retry) is `placing.py`; this module holds the verbs.

Who may call what:
- `book_visit`: the API and the booking pages (source online, with notice,
  horizon and grid), the venue workspace (source partner: any minute, no
  notice or horizon), clinical's combined checkout (inside its transaction).
- `hold_visit` / `confirm_hold`: the browser checkout (10-minute hold).
- `reschedule_booking`, `cancel_booking`: customers within the venue's
  notice window; the venue (`by_venue=True`) at any time, with a reason to cancel.
- `confirm_booking`: the venue; `attendance.mark_attended` / `mark_no_show` after the start.
- `end_patch_test_wait`: clinical, when a passed patch test covers a waiting treatment.
- `link_to_consultation`, `anonymise_bookings`: clinical (a waiting treatment's cover, erasure).
Only this module (with attendance.py and paying.py beside it) writes booking status and items: clinical, privacy and the
workspace call these verbs, so every change refreshes search and notifies once.
Whatever takes a consultation out of the diary (cancel, released or expired
hold, no-show) takes the treatments that depended on it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

from . import hooks, nextfree, placing
from .models import CHANGEABLE, OCCUPYING, Booking, BookingItem, CancelCause, Source, Status

HOLD_MINUTES = 10
# Visits one customer may keep waiting at once (a checkout hold, or a visit waiting for its payment): enough for a
# pathway checkout (consultation and treatment), a second tab and a few times chosen then left with the back
# button (a hold is not listed anywhere to give back); one account can no longer hold a venue's whole diary by
# starting checkouts it never finishes, a fresh one every ten minutes.
MAX_WAITING = 5


# --- small helpers ----------------------------------------------------------------------------


def _release_dependants(booking: Booking, actor: User | None, now: dt.datetime) -> None:
    """A consultation went (cancelled, released, expired or missed): the release handlers (clinical's) cancel the
    bookings that depended on it and nothing else covers. Every way a booking leaves the diary comes through here."""
    if not booking.items.filter(service__kind=ServiceKind.CONSULTATION).exists():
        return
    hooks.run_release_handlers(consultation_booking=booking, by=actor, now=now)


def staff_id_of(staff: Staff | int | None) -> int | None:
    return staff.pk if isinstance(staff, Staff) else staff


def _client_for(venue: Venue, customer: User) -> Client:
    client, _ = Client.objects.get_or_create(
        venue=venue, user=customer,
        defaults={"name": customer.name or customer.email, "email": customer.email, "phone": customer.phone},
    )
    return client


# --- the actions ------------------------------------------------------------------------------------


def book_visit(
    *,
    venue: Venue,
    services: Sequence[Service],
    start: dt.datetime,
    customer: User | None = None,
    client: Client | None = None,
    staff: Staff | int | None = None,
    status: str | None = None,
    source: str = Source.ONLINE,
    notes: str = "",
    hold: bool = False,
    hold_minutes: int = HOLD_MINUTES,
    depends_on: Booking | None = None,
    clinical_override: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book `services` back to back from `start` and return the booking with its items.

    - `customer` (a signed-in person; their client record at the venue is
      found or made) or `client` (the venue's record, e.g. a phone client).
    - `staff`: one staff member (or their id) for every step, or None for
      anyone (each step may then go to a different person who performs it).
    - `status`: force a status (clinical's combined checkout); otherwise the
      clinical pathway's answer, else confirmed or pending per the venue.
    - `source="partner"`: the venue's own diary: any whole minute, no notice
      or horizon, services need not be bookable online.
    - `hold=True`: a checkout hold of `hold_minutes` (status held), see confirm_hold.

    Raises Refusal: 422 unknown_service / unknown_staff / invalid_start /
    off_grid / notice / horizon / outside_hours (and the pathway's codes),
    409 slot_taken with `alternatives`. Runs inside a caller's transaction.
    The returned booking carries `visit_items` (its new items, in order) and
    `staff_names` ({staff id: name}) so callers can answer without reading again.
    """
    now = now or clock.now()
    online = source == Source.ONLINE
    if client is None and customer is None:
        raise Refusal(422, "client_required", gettext("Say who the visit is for."))
    services = list(services)
    placing.check_services(venue, services, online=online)
    minute = placing.check_start(venue, start, now, online=online)
    with transaction.atomic():
        if any(s.treatment_id and s.treatment.has_pathway for s in services):
            expire_holds(venue_id=venue.id, now=now)  # the pathway counts held consultations: only live ones
        # Otherwise expired holds are not busy to the schedule, and insert_visit expires those in its way.
        client = client or _client_for(venue, customer)  # type: ignore[arg-type]
        person = customer or client.user
        found, relied_on = hooks.run_booking_checks(customer=client, venue=venue, services=services, start=start,
                                                    now=now, override=clinical_override)
        if depends_on is None and relied_on is not None:
            depends_on = Booking.objects.get(pk=relied_on)  # the consultation this treatment waits for
        default = Status.CONFIRMED if venue.auto_confirm else Status.PENDING
        chosen = Status.HELD if hold else (status or found or default)
        if online and person is not None and chosen in WAITING:
            _check_waiting(person, now)
        hold_until = now + dt.timedelta(minutes=hold_minutes) if hold else None
        booking = placing.insert_visit(venue=venue, services=services, minute=minute, staff_id=staff_id_of(staff),
                                       now=now, online=online, client=client, customer=person, status=chosen,
                                       source=source, notes=notes, hold_until=hold_until, depends_on=depends_on,
                                       expire=lambda ids: expire_held(ids, now))
        if not hold:
            hooks.announce(booking.id, "created")
        nextfree.schedule_refresh(venue.id)
    return booking


WAITING = (Status.HELD, Status.PENDING_PAYMENT)


def _check_waiting(customer: User, now: dt.datetime) -> None:
    """Refusal 409 too_many_waiting when the customer already keeps MAX_WAITING visits waiting (live holds and
    visits waiting for their payment, at any venue)."""
    waiting = Booking.objects.filter(customer=customer, status__in=WAITING, hold_expires_at__gt=now).count()
    if waiting >= MAX_WAITING:
        raise Refusal(409, "too_many_waiting", gettext(
            "You already have %(count)s visits waiting for you to confirm or pay. Finish booking one of them, or wait "
            "a few minutes: a time left unconfirmed is given back by itself.") % {"count": waiting})


def hold_visit(*, venue: Venue, services: Sequence[Service], start: dt.datetime, customer: User,
               staff: Staff | int | None = None, now: dt.datetime | None = None,
               minutes: int = HOLD_MINUTES) -> Booking:
    """Hold a slot for `minutes` (checkout: HOLD_MINUTES; a waitlist offer longer) as an online booking, held."""
    return book_visit(venue=venue, services=services, start=start, customer=customer, staff=staff, hold=True,
                      hold_minutes=minutes, now=now)


def not_changeable(booking: Booking) -> Refusal:
    """409 not_changeable: the booking's status no longer allows the change asked for."""
    return Refusal(409, "not_changeable", gettext("This booking is %(booking_get_status_display)s.")
                   % {"booking_get_status_display": booking.get_status_display().lower()})


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related("venue", "client").get(pk=booking.pk)


def _services_of(booking: Booking) -> list[Service]:
    return [item.service for item in booking.items.select_related("service").order_by("position")]


def confirm_hold(*, booking: Booking, notes: str = "", now: dt.datetime | None = None) -> Booking:
    """Turn a checkout hold into a booking (confirmed or pending). Idempotent for a booking already confirmed.

    An expired hold is booked again when its slot is still free; otherwise 409
    slot_taken with alternatives. A cancelled booking answers 409 not_changeable.
    """
    now = now or clock.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in (Status.HELD, Status.EXPIRED):
            if booking.status == Status.CANCELLED:
                raise Refusal(409, "not_changeable", gettext("This booking was cancelled."))
            return booking
        services = _services_of(booking)
        if booking.status == Status.EXPIRED or booking.hold_expires_at is None or booking.hold_expires_at <= now:
            return _rebook_expired(booking, services, notes, now)
        found, relied_on = hooks.run_booking_checks(customer=booking.client, venue=booking.venue, services=services,
                                                    start=booking.start, now=now, override=None, booking=booking)
        booking.status = found or (Status.CONFIRMED if booking.venue.auto_confirm else Status.PENDING)
        booking.depends_on_id = relied_on if found else booking.depends_on_id
        booking.hold_expires_at = None
        booking.notes = notes[:2000]
        booking.created_at = now  # made when confirmed: the free-cancellation grace counts from here
        booking.save(update_fields=["status", "depends_on", "hold_expires_at", "notes", "created_at", "updated_at"])
        BookingItem.objects.filter(booking=booking).update(active=booking.status in OCCUPYING)
        hooks.announce(booking.id, "created")
    return booking


def _rebook_expired(booking: Booking, services: list[Service], notes: str, now: dt.datetime) -> Booking:
    """The hold ran out: free it, then book the same time again if nobody took it.

    Treatments that waited for the expired hold then wait for the new booking
    (same time); when the time is gone they go with the hold.
    """
    Booking.objects.filter(pk=booking.pk).update(status=Status.EXPIRED, hold_expires_at=None)
    BookingItem.objects.filter(booking=booking).update(active=False)
    again = book_visit(venue=booking.venue, services=services, start=booking.start, customer=booking.customer,
                       client=booking.client, staff=booking.requested_staff_id, notes=notes, now=now)
    _release_dependants(booking, None, now)
    return again


def expire_holds(*, venue_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Free every checkout hold past its time (all venues, or one). Returns how many expired."""
    now = now or clock.now()
    due = Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now)
    if venue_id is not None:
        due = due.filter(venue_id=venue_id)
    return expire_held(list(due.values_list("id", flat=True)[:1000]), now)


def expire_held(ids: Sequence[int], now: dt.datetime) -> int:
    """Expire the holds among `ids` that are still held and past their time; returns how many."""
    if not ids:
        return 0
    with transaction.atomic():
        # Re-test the status in the UPDATE: a hold confirmed meanwhile keeps its items.
        still_held = Booking.objects.filter(id__in=ids, status=Status.HELD, hold_expires_at__lte=now)
        count = still_held.update(status=Status.EXPIRED)
        BookingItem.objects.filter(booking_id__in=ids, booking__status=Status.EXPIRED).update(active=False)
        for expired in Booking.objects.filter(id__in=ids, status=Status.EXPIRED).order_by("id"):
            _release_dependants(expired, None, now)  # a treatment waiting for a held consultation goes with it
    return count


def _check_notice(booking: Booking, now: dt.datetime, verb: str) -> None:
    """Refusal 422 notice_window past the booking's change deadline (callers have refused unchangeable statuses)."""
    hours = booking.venue.cancel_notice_hours
    if not booking.may_change_online(now):
        raise Refusal(
            422,
            "notice_window",
            gettext("%(venue_name)s asks for %(hours)s hours' notice to %(verb)s online. Please call the venue.")
            % {"venue_name": booking.venue.name, "hours": hours, "verb": verb},
            notice_hours=hours,
        )


def cancel_booking(
    *,
    booking: Booking,
    actor: User | None = None,
    by_venue: bool = False,
    reason: str | CancelCause = "",
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Booking:
    """Cancel and free the diary. Customers only outside the notice window; the venue always, with a reason.

    Releasing a checkout hold is a cancel too. Whatever is cancelled, the
    treatments that depended on it (as on a consultation) go with it, through
    this same verb. `by_venue=True` is also how the clinical rules cancel (no
    notice window, a reason: Pamper's own reasons are a CancelCause, stored as a code and said in the reader's
    language). `notify=False` when the caller tells the customer
    itself (a patch-test result lists the treatments it cancelled): the
    cancellation is still announced, marked quiet, so what was paid goes back.
    Raises Refusal 409 not_changeable (already cancelled, attended, ...),
    422 notice_window, 422 reason_required (venue side without a reason).
    """
    now = now or clock.now()
    cause, reason = (reason, "") if isinstance(reason, CancelCause) else ("", reason.strip()[:300])
    if by_venue and not (reason or cause):
        raise Refusal(422, "reason_required", gettext("Say why the venue cancels: the client will read it."))
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in CHANGEABLE:
            raise not_changeable(booking)
        if not by_venue and not booking.may_cancel_online(now):
            _check_notice(booking, now, "cancel")
        was_hold = booking.status == Status.HELD
        booking.status, booking.cancel_reason, booking.cancel_cause = Status.CANCELLED, reason, cause
        booking.cancelled_by, booking.cancelled_at = actor, now
        booking.save(update_fields=["status", "cancel_reason", "cancel_cause", "cancelled_by", "cancelled_at",
                                    "updated_at"])
        BookingItem.objects.filter(booking=booking).update(active=False)
        if not was_hold:  # told even when quiet: money paid for it goes back (payments), the time is free again
            hooks.announce(booking.id, "cancelled", quiet=not notify)
        _release_dependants(booking, actor, now)
        nextfree.schedule_refresh(booking.venue_id)
    return booking


def reschedule_booking(
    *,
    booking: Booking,
    start: dt.datetime,
    staff: Staff | int | None = None,
    keep_staff: bool = True,
    actor: User | None = None,
    by_venue: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a booking to `start` (same services, back to back) and return it.

    `staff` asks for one staff member; with None and `keep_staff` the staff
    member originally asked for is kept, else anyone. Customers move only
    outside the notice window and onto the online grid; the venue at any time.
    Raises Refusal like book_visit, plus 409 not_changeable and 422 notice_window.
    """
    now = now or clock.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in CHANGEABLE or booking.status == Status.HELD:
            raise not_changeable(booking)
        venue = booking.venue
        if not by_venue:
            _check_notice(booking, now, "move")
        minute = placing.check_start(venue, start, now, online=not by_venue)
        staff_id = staff_id_of(staff) or (booking.requested_staff_id if keep_staff else None)
        services = _services_of(booking)
        found, relied_on = hooks.run_booking_checks(
            customer=booking.client,
            venue=venue,
            services=services,
            start=start,
            now=now,
            override=None,
            booking=booking,
        )
        BookingItem.objects.filter(booking=booking).update(active=False)  # our own old time must not block the move
        placing.move_items(booking, services, minute, staff_id, now, online=not by_venue)
        if found and booking.status != found:
            booking.status = found
        if found:
            booking.depends_on_id = relied_on  # at its new time it may wait for another consultation
        booking.requested_staff_id = staff_id
        booking.save(update_fields=["start", "end", "status", "depends_on", "requested_staff", "updated_at"])
        hooks.announce(booking.id, "moved")
        nextfree.schedule_refresh(venue.id)
    return booking


def confirm_booking(*, booking: Booking, actor: User | None = None, now: dt.datetime | None = None) -> Booking:
    """The venue confirms a pending booking. 409 not_changeable unless it is pending."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == Status.CONFIRMED:
            return booking
        if booking.status != Status.PENDING:
            raise not_changeable(booking)
        booking.status = Status.CONFIRMED
        booking.save(update_fields=["status", "updated_at"])
        hooks.announce(booking.id, "confirmed")
    return booking


def end_patch_test_wait(*, booking: Booking, depends_on_id: int | None) -> Booking:
    """A treatment waiting for a patch test is now covered by a passed one: confirmed (or pending, per the venue).

    For clinical's record_patch_test, which tells the customer with the result.
    A booking no longer waiting (cancelled meanwhile, ...) is returned unchanged.
    """
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != Status.AWAITING_PATCH_TEST:
            return booking
        booking.status = Status.CONFIRMED if booking.venue.auto_confirm else Status.PENDING
        booking.depends_on_id = depends_on_id
        booking.save(update_fields=["status", "depends_on", "updated_at"])
    return booking


def link_to_consultation(*, booking: Booking, consultation_id: int | None) -> None:
    """Record the consultation booking a waiting treatment now relies on (None: a test or its own visit covers it).

    For clinical, when a cancelled consultation leaves the treatment covered by
    another one, and when a reaction's result must list the treatment it ends.
    The status and the diary are unchanged, so search and notifications are not told.
    """
    Booking.objects.filter(pk=booking.pk).update(depends_on=consultation_id)
    booking.depends_on_id = consultation_id

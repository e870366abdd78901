"""Writes on the waitlist: join, leave, offer a freed time, accept, decline, and the sweep of offers.

Every time offered is a checkout hold made by bookings.actions.hold_visit, so
the booking engine's own checks decide who may have it (the clinical pathway:
a valid patch test, a course's interval) and its locks make a double booking
impossible, whatever the number of offer runs and customers racing. One open
offer per entry is a database constraint. Entries are served first come,
first served: a customer the engine refuses is passed over for that time.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.bookings import actions as booking_actions
from pamper.bookings import availability as av
from pamper.bookings import placing
from pamper.bookings.localtime import from_minute, to_minute, to_minute_ceil
from pamper.bookings.models import OCCUPYING, Status
from pamper.bookings.schedule import load_schedule, spec_of
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.venues.models import Service, Staff, Venue

from . import emails, tasks
from .matching import suitable, window
from .models import Entry, EntryStatus, Offer, OfferStatus, PartOfDay

logger = logging.getLogger(__name__)

OFFER_MINUTES = 30
# The booking engine's refusal of a customer who keeps too many visits waiting (bookings.actions._check_waiting):
# about them, not about the time, so the time goes on to the next in line and they are told why.
TOO_MANY_WAITING = "too_many_waiting"
MAX_DAYS = 62  # the longest range one entry may cover


def _free_slots(entry: Entry, venue: Venue, now: dt.datetime) -> list[av.Slot]:
    """Free times for the entry's service in its window (its practitioner, or anyone), soonest first."""
    today = now.astimezone(venue.tz).date()
    first, last = window(entry.first_day, entry.last_day, today, today + dt.timedelta(days=venue.horizon_days))
    if last < first:
        return []
    schedule = load_schedule(venue, {entry.service_id}, first, last, now)
    return av.find_slots(schedule, [spec_of(entry.service)], first, last, to_minute_ceil(now), staff_id=entry.staff_id)


def _check_days(venue: Venue, first_day: dt.date, last_day: dt.date, now: dt.datetime) -> None:
    """The days must be ones the venue would take a booking on, as bookings.placing.check_start asks of a start:
    not passed, none before the minimum notice (the local day it ends on), none past the horizon (the local day
    of its last minute). Refusal 422 invalid, notice or horizon, with the `field` to change."""
    zone = venue.tz
    today = now.astimezone(zone).date()
    if last_day < today:
        raise Refusal(422, "invalid", _("Those days have passed."), field="last_day")
    if first_day < today:
        raise Refusal(422, "invalid", _("Those days have passed."), field="first_day")
    earliest = now + dt.timedelta(minutes=venue.min_notice_minutes)
    if first_day < earliest.astimezone(zone).date():
        raise Refusal(422, "notice", _("%(venue_name)s takes online bookings at least %(span)s ahead.")
                      % {"venue_name": venue.name, "span": placing.span(venue.min_notice_minutes)},
                      field="first_day", earliest=earliest.astimezone(zone).date().isoformat())
    last_open = (now + dt.timedelta(days=venue.horizon_days, minutes=-1)).astimezone(zone).date()
    if last_day > last_open:
        raise Refusal(422, "horizon", _("%(venue_name)s takes bookings up to %(rules_horizon_days)s days ahead.")
                      % {"venue_name": venue.name, "rules_horizon_days": venue.horizon_days},
                      field="last_day", latest=last_open.isoformat())


def _check_entry(venue: Venue, service: Service, staff: Staff | None, first_day: dt.date, last_day: dt.date,
                 part_of_day: str, now: dt.datetime) -> None:
    if service.venue_id != venue.id or not service.is_active or not service.online_bookable:
        raise Refusal(422, "unknown_service", _("This venue does not offer that service online."), field="service")
    if staff is not None and (staff.venue_id != venue.id or not staff.services.filter(pk=service.pk).exists()):
        raise Refusal(422, "unknown_staff", _("That practitioner does not do this service here."), field="staff")
    if part_of_day not in PartOfDay.values:
        raise Refusal(422, "invalid", _("Choose a time of day."), field="part_of_day")
    if last_day < first_day:
        raise Refusal(422, "invalid", _("The last day comes before the first."), field="last_day")
    if (last_day - first_day).days >= MAX_DAYS:
        raise Refusal(422, "invalid", _("Choose at most %(days)s days.") % {"days": MAX_DAYS}, field="last_day")
    _check_days(venue, first_day, last_day, now)


def join_waitlist(*, customer: User, venue: Venue, service: Service, first_day: dt.date, last_day: dt.date,
                  part_of_day: str = PartOfDay.ANY, staff: Staff | None = None,
                  now: dt.datetime | None = None) -> Entry:
    """Put the customer on the venue's waitlist for `service`; returns the entry.

    Refusal 422 (unknown_service, unknown_staff, invalid, notice or horizon with a `field`: days passed, before
    the venue's minimum notice or past its booking horizon),
    409 already_waiting (the same service at the venue, still waiting),
    409 free_now when a suitable time is free already (book it instead; `start` names the first one).
    """
    now = now or clock.now()
    _check_entry(venue, service, staff, first_day, last_day, part_of_day, now)
    with transaction.atomic():
        waiting = Entry.objects.filter(customer=customer, venue=venue, service=service,
                                       status__in=[EntryStatus.WAITING, EntryStatus.OFFERED])
        if waiting.exists():
            raise Refusal(409, "already_waiting", _("You are already on the waitlist for this service here."))
        entry = Entry(customer=customer, venue=venue, service=service, staff=staff, first_day=first_day,
                      last_day=last_day, part_of_day=part_of_day, created_at=now)
        free = suitable(_free_slots(entry, venue, now), timezone=venue.timezone, part_of_day=part_of_day, limit=1)
        if free:
            raise Refusal(409, "free_now", _("A time that suits you is free now: book it instead."),
                          start=from_minute(free[0].start).isoformat())
        entry.save()
    return entry


def leave_waitlist(*, entry: Entry, now: dt.datetime | None = None) -> Entry:
    """Take the entry off the waitlist; a time held for it is given back (and offered to the next)."""
    now = now or clock.now()
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.status in (EntryStatus.LEFT, EntryStatus.BOOKED):
            return entry
        for offer in Offer.objects.select_related("booking").filter(entry=entry, status=OfferStatus.OPEN):
            _give_back(offer, OfferStatus.DECLINED, now)
        entry.status = EntryStatus.LEFT
        entry.save(update_fields=["status"])
        _offer_after_commit(entry.venue_id)
    return entry


def forget_customer(*, customer: User, now: dt.datetime | None = None) -> int:
    """The customer closes their account: every entry of theirs leaves the waitlist (a time held for one is given
    back and offered to the next), then the entries and their offers are deleted. Returns how many entries went."""
    now = now or clock.now()
    with transaction.atomic():
        for entry in Entry.objects.filter(customer=customer).exclude(status__in=[EntryStatus.LEFT, EntryStatus.BOOKED]):
            leave_waitlist(entry=entry, now=now)
        return Entry.objects.filter(customer=customer).delete()[1].get(Entry._meta.label, 0)


def _give_back(offer: Offer, status: str, now: dt.datetime) -> None:
    """End an open offer: its hold (if still held) is released, its entry waits again."""
    if offer.booking.status == Status.HELD:
        booking_actions.cancel_booking(booking=offer.booking, actor=offer.booking.customer, now=now)
    offer.status = status
    offer.save(update_fields=["status"])
    Entry.objects.filter(pk=offer.entry_id, status=EntryStatus.OFFERED).update(status=EntryStatus.WAITING)


def _offer_after_commit(venue_id: int) -> None:
    transaction.on_commit(partial(tasks.queue_offers, venue_id), robust=True)


def _offer_one(entry: Entry, venue: Venue, now: dt.datetime) -> Offer | None:
    """Hold the entry's first suitable free time for it, or None (nothing free, or the engine refuses them)."""
    tried = [(to_minute(o.booking.start), to_minute_ceil(o.booking.end)) for o in entry.offers.all()]
    slots = suitable(_free_slots(entry, venue, now), timezone=venue.timezone, part_of_day=entry.part_of_day,
                     tried=tried)
    for slot in slots:
        try:
            with transaction.atomic():
                locked = Entry.objects.select_for_update().filter(pk=entry.pk, status=EntryStatus.WAITING).first()
                if locked is None:
                    return None  # another run offered it something, or the customer left
                hold = booking_actions.hold_visit(venue=venue, services=[entry.service], customer=entry.customer,
                                                  start=from_minute(slot.start), staff=entry.staff_id, now=now,
                                                  minutes=OFFER_MINUTES)
                offer = Offer.objects.create(entry=locked, booking=hold, start=hold.start,
                                             expires_at=hold.hold_expires_at, created_at=now)
                Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.OFFERED, held_back="", held_back_at=None)
                transaction.on_commit(partial(emails.send_offer, offer.pk), robust=True)
            return offer
        except Refusal as refusal:
            if refusal.code == TOO_MANY_WAITING:
                _hold_back(entry, slot.start, refusal.code, now)
                return None  # the customer's own unfinished checkouts, not the time: it goes to the next in line
            if refusal.status == 409:
                continue  # taken a moment ago: try the next time
            logger.info("waitlist entry %s passed over: %s", entry.pk, refusal.code)
            return None  # the engine refuses this customer (pathway, notice ...): the next one is asked
        except IntegrityError:
            return None  # a concurrent run gave this entry its one open offer
    return None


def _hold_back(entry: Entry, minute: int, code: str, now: dt.datetime) -> None:
    """The engine refused the customer (`code`), not the time: say why on the entry, and email them the first
    time (not every minute the sweep finds them still at the limit). The entry keeps waiting."""
    told = (Entry.objects.filter(pk=entry.pk, status=EntryStatus.WAITING).exclude(held_back=code)
            .update(held_back=code, held_back_at=now))
    logger.info("waitlist entry %s passed over: %s", entry.pk, code)
    if told:
        transaction.on_commit(partial(emails.send_held_back, entry.pk, from_minute(minute)), robust=True)


def offer_freed_times(*, venue_id: int, now: dt.datetime | None = None) -> list[Offer]:
    """Offer free times to the venue's waiting entries, first come first served; returns the offers made."""
    now = now or clock.now()
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        return []
    today = now.astimezone(venue.tz).date()
    # A customer whose address is not confirmed yet is passed over (and keeps their place): the offer is made by
    # email, which Pamper does not send to an unconfirmed address, and the time would be held for nobody.
    entries = (Entry.objects.filter(venue=venue, status=EntryStatus.WAITING, last_day__gte=today,
                                    customer__email_confirmed=True)
               .select_related("service", "customer").prefetch_related("offers__booking"))
    made = []
    for entry in entries:
        offer = _offer_one(entry, venue, now)
        if offer is not None:
            made.append(offer)
    return made


def accept_offer(*, offer: Offer, now: dt.datetime | None = None) -> Offer:
    """Book the held time (bookings.actions.confirm_hold). Refusal 409 offer_gone once it expired or ended."""
    now = now or clock.now()
    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("booking").get(pk=offer.pk)
        if offer.status == OfferStatus.ACCEPTED:
            return offer
        if offer.status != OfferStatus.OPEN or offer.expires_at <= now or offer.booking.status != Status.HELD:
            raise Refusal(409, "offer_gone", _("Sorry, this time is no longer held for you."))
        booking_actions.confirm_hold(booking=offer.booking, now=now)
        offer.status = OfferStatus.ACCEPTED
        offer.save(update_fields=["status"])
        Entry.objects.filter(pk=offer.entry_id).update(status=EntryStatus.BOOKED)
    return offer


def decline_offer(*, offer: Offer, now: dt.datetime | None = None) -> Offer:
    """Give the time back; the entry keeps waiting for another, and the time goes to the next customer."""
    now = now or clock.now()
    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("booking").get(pk=offer.pk)
        if offer.status != OfferStatus.OPEN:
            raise Refusal(409, "offer_gone", _("This offer has already ended."))
        _give_back(offer, OfferStatus.DECLINED, now)
        _offer_after_commit(offer.booking.venue_id)
    return offer


def sweep_offers(*, now: dt.datetime | None = None) -> set[int]:
    """Settle the open offers: expired ones give their time back (to the next customer), ones whose hold was
    confirmed elsewhere (the checkout page) count as booked, released ones end. Returns the venues touched."""
    now = now or clock.now()
    venues: set[int] = set()
    for offer in Offer.objects.filter(status=OfferStatus.OPEN).select_related("booking").order_by("id")[:500]:
        booking = offer.booking
        with transaction.atomic():
            if booking.status == Status.HELD and offer.expires_at > now:
                continue
            if booking.status == Status.HELD or booking.status not in OCCUPYING:
                _give_back(offer, OfferStatus.EXPIRED if offer.expires_at <= now else OfferStatus.GONE, now)
                venues.add(booking.venue_id)
            else:
                Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED)
                Entry.objects.filter(pk=offer.entry_id).update(status=EntryStatus.BOOKED)
    return venues

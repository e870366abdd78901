"""Reads for the waitlist pages: a customer's entries and offers, and a venue's waitlist for one day."""

from __future__ import annotations

import datetime as dt

from pamper.accounts.models import User

from .models import Entry, EntryStatus, Offer, OfferStatus

LIVE = (EntryStatus.WAITING, EntryStatus.OFFERED)


def entries_of(customer: User) -> list[Entry]:
    """The customer's live entries, with venue, service, practitioner and their open offers, oldest first."""
    return list(Entry.objects.filter(customer=customer, status__in=LIVE)
                .select_related("venue", "service", "staff").prefetch_related("offers__booking"))


def open_offer(entry: Entry) -> Offer | None:
    """The entry's open offer from the prefetched offers (no query), or None."""
    return next((o for o in entry.offers.all() if o.status == OfferStatus.OPEN), None)


def waiting_on(venue_id: int, day: dt.date) -> list[Entry]:
    """The venue's live entries whose days include `day`, in the order they will be offered times."""
    return list(Entry.objects.filter(venue_id=venue_id, status__in=LIVE, first_day__lte=day, last_day__gte=day)
                .select_related("customer", "service", "staff").prefetch_related("offers"))

"""Front-desk bookings: a phone or walk-in client, found or recorded, booked through bookings.actions.

The client row and the booking are written in one transaction: when the time
is taken (or outside hours) nothing is left behind. The booking itself goes
through `book_visit` with source "partner", the same guard against double
booking as online, minus the customer notice window and grid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Source
from pamper.venues.models import Client, Service, Staff, Venue


def find_or_record_client(*, venue: Venue, name: str, phone: str = "", email: str = "") -> Client:
    """The venue's client with this email or phone, else a new client row (inside the caller's transaction)."""
    phone, email = phone.strip(), email.strip().lower()
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    found = Client.objects.filter(venue=venue).filter(match).order_by("pk").first()
    if found is not None:
        return found
    return Client.objects.create(venue=venue, name=name.strip(), phone=phone, email=email)


def book_for_client(
    *, venue: Venue, services: Sequence[Service], start: dt.datetime, staff: Staff | None, client: Client | None,
    name: str = "", phone: str = "", email: str = "", notes: str = "", now: dt.datetime | None = None,
) -> Booking:
    """Book a visit entered by the venue. Raises pamper.api.ApiError (409 slot_taken, 422 ...) and writes nothing then."""
    with transaction.atomic():
        client = client or find_or_record_client(venue=venue, name=name, phone=phone, email=email)
        return booking_actions.book_visit(
            venue=venue, services=services, start=start, client=client, staff=staff, source=Source.PARTNER,
            notes=notes.strip(), now=now,
        )

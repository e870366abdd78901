"""Front-desk bookings: a phone or walk-in client, picked or recorded, booked through bookings.actions.

A walk-in never inherits another person's record. Matching by email, phone
or name only shows the desk who is already on file (409 client_match with the
candidates); the desk then picks one by id, scoped to the venue, or asks for a
new client. A client row is never chosen for them: two people may share a
phone or an email, and a client's patch tests, consultations and "My
bookings" belong to that row alone.

The client row and the booking are written in one transaction: when the time
is taken (or outside hours) nothing is left behind. The booking itself goes
through `book_visit` with source "partner", the same guard against double
booking as online, minus the customer notice window and grid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Source
from pamper.errors import Refusal
from pamper.venues import actions as venue_actions
from pamper.venues.models import Client, Service, Staff, Venue

MAX_CANDIDATES = 10


def matching_clients(*, venue: Venue, name: str = "", phone: str = "", email: str = "") -> list[Client]:
    """The venue's clients who may be this person: same email (any case), same phone or same name.

    At most MAX_CANDIDATES, oldest first; an empty list when nothing was given.
    Only ever shown to the desk to choose from, never used as the booking's client.
    """
    name, phone, email = name.strip(), phone.strip(), email.strip()
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    if name:
        match |= Q(name__iexact=name)
    return list(Client.objects.filter(venue=venue).filter(match).order_by("pk")[:MAX_CANDIDATES])


def candidate_json(client: Client) -> dict[str, Any]:
    """What the desk needs to tell people apart: id, name, phone and email."""
    return {"id": client.pk, "name": client.name, "phone": client.phone, "email": client.email}


def _new_client(*, venue: Venue, name: str, phone: str, email: str, new_client: bool) -> Client:
    """A new client row for the walk-in; 409 client_match when others match and the desk has not chosen "new"."""
    if not name.strip():
        raise Refusal(422, "client_required", gettext("Give the client's name (and a phone number to reach them)."))
    if not new_client:
        found = matching_clients(venue=venue, name=name, phone=phone, email=email)
        if found:
            raise Refusal(
                409,
                "client_match",
                gettext(
                    "Clients with this name, phone or email are already on file: pick one, or record a new client."
                ),
                candidates=[candidate_json(c) for c in found],
            )
    return venue_actions.add_client(venue=venue, name=name, phone=phone, email=email)


def book_for_client(
    *,
    venue: Venue,
    services: Sequence[Service],
    start: dt.datetime,
    staff: Staff | None,
    client: Client | None,
    new_client: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Book a visit entered by the venue, for `client` (picked by the desk) or a new client from the details.

    Without `client`, a new client is recorded when nobody on file matches the
    details, or when `new_client` says the desk chose "none of these".
    Raises Refusal: 409 client_match (with `candidates`), 422 unknown_client
    (a client of another venue), 409 slot_taken, 422 ... from the booking
    guard; nothing is written then.
    """
    if client is not None and client.venue_id != venue.pk:
        raise Refusal(422, "unknown_client", gettext("That client is not one of this venue's."))
    with transaction.atomic():
        if client is None:
            client = _new_client(venue=venue, name=name, phone=phone, email=email, new_client=new_client)
        return booking_actions.book_visit(
            venue=venue,
            services=services,
            start=start,
            client=client,
            staff=staff,
            source=Source.PARTNER,
            notes=notes.strip(),
            now=now,
        )

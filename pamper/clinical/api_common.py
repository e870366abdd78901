"""What the clinical API modules share: id bounds, auth for record URLs, lookups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field

from pamper.accounts.auth import bearer
from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.errors import Refusal
from pamper.venues.models import Staff, Venue

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def anyone(request: HttpRequest) -> AnonymousUser:
    """Lets an unauthenticated request reach record endpoints, which then answer 404 (never 401 or 403)."""
    return AnonymousUser()


# Record and photo URLs answer 404 to anyone who may not see them, signed in or not.
record_auth = [bearer, anyone]


def user_of(request: HttpRequest) -> User:
    """The signed-in user; a 404 for anonymous requests on record URLs."""
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False):
        raise Refusal(404, "not_found", "Not found.")
    return user  # type: ignore[no-any-return]


def local(instant: dt.datetime | None, venue: Venue) -> str | None:
    return instant.astimezone(venue.tz).isoformat() if instant else None


def venue_or_404(venue_id: int) -> Venue:
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise Refusal(404, "not_found", "No such venue.")
    return venue


def treatment_at(venue: Venue, treatment_id: int) -> Treatment:
    """A treatment the venue offers (404 otherwise)."""
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=venue, services__is_active=True).first()
    if treatment is None:
        raise Refusal(404, "not_found", "This venue does not offer that treatment.")
    return treatment


def staff_at(venue: Venue, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    found = Staff.objects.filter(pk=staff_id, venue=venue, is_active=True).first()
    if found is None:
        raise Refusal(422, "unknown_staff", "That staff member does not work here.")
    return found

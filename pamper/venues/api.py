"""JSON API routes for venues: one venue with its services, staff, opening hours and closures.

Only published venues are visible; anything else, like an unknown id, is a 404
with the error shape. Money is a string with its currency; times of day are
the venue's local wall-clock "HH:MM" in its named IANA zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Path, Router, Schema

from pamper.errors import ErrorOut, Refusal
from pamper.lib.clock import now
from pamper.lib.ids import MAX_ID

from .models import Venue
from .present import venue_json
from .queries import venue_detail

router = Router(tags=["venues"])
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class VenueServiceOut(Schema):
    id: int
    name: str
    treatment: str  # the catalogue treatment's slug
    category: str
    kind: str  # "treatment", or "consultation" for the consultation / patch-test appointment
    variant: str
    price: str
    currency: str
    duration_minutes: int
    buffer_before: int
    buffer_after: int
    online_bookable: bool
    staff: list[int]


class VenueStaffOut(Schema):
    id: int
    name: str
    title: str
    services: list[int]


class VenueHoursOut(Schema):
    weekday: int  # 0 = Monday
    day: str
    opens: str
    closes: str


class VenueClosureOut(Schema):
    start_date: dt.date
    end_date: dt.date
    reason: str


class VenueBasics(Schema):
    """What names and places a venue, in every venue answer that shows it whole (here and the partner API's
    settings)."""

    id: int
    slug: str
    name: str
    kind: str
    description: str
    address: str
    city: str
    postcode: str
    country: str = Field(description="ISO 3166-1 alpha-2.")


class VenueDetailOut(VenueBasics):
    lat: float
    lng: float
    timezone: str
    currency: str
    phone: str
    rating: float | None
    review_count: int
    url: str
    services: list[VenueServiceOut]
    staff: list[VenueStaffOut]
    opening_hours: list[VenueHoursOut]
    closures: list[VenueClosureOut]


def _not_found() -> Refusal:
    return Refusal(404, "not_found", gettext("No published venue has that id or slug."))


@router.get(
    "/venues/by-slug/{slug}",
    response={200: VenueDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="A venue by its slug, with services, staff, opening hours and closures",
)
def venue_by_slug(request: HttpRequest, slug: str = Path(..., max_length=140, pattern=SLUG_PATTERN)) -> dict[str, Any]:
    venue = Venue.objects.filter(slug=slug, is_published=True).first()
    if venue is None:
        raise _not_found()
    return venue_json(venue_detail(venue, now=now()))


@router.get(
    "/venues/{venue_id}",
    response={200: VenueDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="A venue by id, with services, staff, opening hours and closures",
)
def venue_by_id(request: HttpRequest, venue_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise _not_found()
    return venue_json(venue_detail(venue, now=now()))

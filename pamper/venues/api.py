"""JSON API routes for venues: one venue with its services, staff, opening hours and closures.

Only published venues are visible; anything else, like an unknown id, is a 404
with the error shape. Money is a string with its currency; times of day are
the venue's local wall-clock "HH:MM" in its named IANA zone.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Router, Schema

from pamper.errors import ErrorOut, Refusal
from pamper.lib.clock import now
from pamper.lib.money import money_str

from .detail import VenueDetail, venue_detail
from .models import Venue

router = Router(tags=["venues"])
MAX_ID = 2**63 - 1
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


class VenueDetailOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    description: str
    address: str
    city: str
    postcode: str
    country: str
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


def venue_out(detail: VenueDetail) -> VenueDetailOut:
    """The API shape of a venue's detail."""
    v = detail.venue
    return VenueDetailOut(
        id=v.id, slug=v.slug, name=v.name, kind=v.kind, description=v.description, address=v.address, city=v.city,
        postcode=v.postcode, country=v.country, lat=v.latitude, lng=v.longitude, timezone=v.timezone,
        currency=v.currency, phone=v.phone, rating=float(v.rating_avg) if v.rating_avg is not None else None,
        review_count=v.review_count, url=v.get_absolute_url(),
        services=[
            VenueServiceOut(
                id=s.id, name=s.name, treatment=s.treatment.slug, category=s.treatment.category.slug, kind=s.kind,
                variant=s.variant, price=money_str(s.price), currency=s.currency, duration_minutes=s.duration_minutes,
                buffer_before=s.buffer_before, buffer_after=s.buffer_after, online_bookable=s.online_bookable,
                staff=detail.staff_of.get(s.id, []),
            )
            for s in detail.services
        ],
        staff=[VenueStaffOut(id=m.id, name=m.name, title=m.title, services=detail.services_of.get(m.id, [])) for m in detail.staff],
        opening_hours=[
            VenueHoursOut(weekday=h.weekday, day=h.get_weekday_display(), opens=f"{h.opens:%H:%M}",
                            closes=f"{h.closes:%H:%M}")
            for h in detail.hours
        ],
        closures=[VenueClosureOut(start_date=c.start_date, end_date=c.end_date, reason=c.reason) for c in detail.closures],
    )


def _not_found() -> Refusal:
    return Refusal(404, "not_found", "No published venue has that id or slug.")


@router.get(
    "/venues/by-slug/{slug}",
    response={200: VenueDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="A venue by its slug, with services, staff, opening hours and closures",
)
def venue_by_slug(request: HttpRequest, slug: str = Path(..., max_length=140, pattern=SLUG_PATTERN)) -> VenueDetailOut:
    venue = Venue.objects.filter(slug=slug, is_published=True).first()
    if venue is None:
        raise _not_found()
    return venue_out(venue_detail(venue, now=now()))


@router.get(
    "/venues/{venue_id}",
    response={200: VenueDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="A venue by id, with services, staff, opening hours and closures",
)
def venue_by_id(request: HttpRequest, venue_id: int = Path(..., ge=1, le=MAX_ID)) -> VenueDetailOut:
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise _not_found()
    return venue_out(venue_detail(venue, now=now()))

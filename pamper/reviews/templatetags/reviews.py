"""Template helpers for reviews: star strings, the venue panel, the 'write a review' link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from pamper.bookings.models import Booking, Status
from pamper.catalog.models import Treatment
from pamper.lib import clock, formats
from pamper.venues.models import Venue

from .. import actions, queries
from ..models import REVIEW_WINDOW, Kind, Review, TreatmentRating

register = template.Library()

PANEL_REVIEWS = 5
TREATMENT_RATINGS = 8  # as queries.treatment_ratings


@register.filter
def stars(value: int | Decimal | float | None) -> str:
    """'★★★★☆' for 4 (or 3.5 to 4.49); empty for None."""
    if value is None:
        return ""
    filled = max(0, min(5, int(Decimal(str(value)).quantize(Decimal("1"), rounding="ROUND_HALF_UP"))))
    return "★" * filled + "☆" * (5 - filled)


@register.filter
def venue_date(value: dt.datetime | None, venue: Venue) -> str:
    """'12 March 2026' ('12. März 2026', '12 mars 2026'): the date in the venue's own time zone, written in the
    active language."""
    if value is None:
        return ""
    return formats.day(clock.local(value, venue.timezone).date(), "yMMMMd")


@register.simple_tag(takes_context=True)
def review_panel(context: template.Context, venue: Venue) -> dict[str, Any]:
    """What the venue page's reviews block shows: the rating row, the newest reviews, reply rights."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rating = queries.venue_rating(venue)
    reviews: list[Review] = []
    treatments: list[TreatmentRating] = []
    if rating and rating.count:
        # The same rows as queries.visible_reviews and queries.treatment_ratings, with each treatment taken from
        # what the page has already read: a treatment row carries its guides in every language (tens of
        # kilobytes of JSON), too dear to read again for a name.
        reviews = list(queries.visible_reviews(venue).select_related(None).select_related("customer", "staff")
                       .order_by("-created_at", "-id")[:PANEL_REVIEWS])
        treatments = list(TreatmentRating.objects.filter(venue=venue, count__gt=0)
                          .order_by("-count", "treatment__name")[:TREATMENT_RATINGS]) if reviews else []
        _attach_treatments([*reviews, *treatments], _page_treatments(context))
    return {
        "rating": rating,
        "reviews": reviews,
        "treatments": treatments,
        "can_reply": bool(user and actions.is_venue_admin(user, venue.pk)),
        "more": (rating.count - len(reviews)) if rating else 0,
    }


def _page_treatments(context: template.Context) -> dict[int, Treatment]:
    """{id: treatment} of the venue page's services (its `detail`), when the page has them."""
    detail = context.get("detail")
    services = getattr(detail, "services", None) or []
    return {s.treatment_id: s.treatment for s in services if s.treatment_id}


def _attach_treatments(rows: list[Any], known: dict[int, Treatment]) -> None:
    """Set each row's `treatment` from `known`, reading the others in one query."""
    missing = {r.treatment_id for r in rows if r.treatment_id and r.treatment_id not in known}
    if missing:
        known = {**known, **Treatment.objects.in_bulk(missing)}
    for row in rows:
        if row.treatment_id:
            row.treatment = known.get(row.treatment_id)


@register.inclusion_tag("reviews/_review_link.html", takes_context=True)
def review_link(context: template.Context, booking: Booking) -> dict[str, Any]:
    """For a list of the customer's bookings: 'Write a review', 'Review your course' or their stars."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or booking.customer_id != user.pk or booking.status != Status.ATTENDED:
        return {"show": False}
    mine = {r.kind: r for r in Review.objects.filter(booking=booking)}
    now = clock.now()
    open_ = now <= booking.end + REVIEW_WINDOW  # saves the eligibility queries for old visits
    links = {
        "booking": booking,
        "visit_review": mine.get(Kind.VISIT),
        "can_review": open_ and Kind.VISIT not in mine and actions.can_review(booking=booking, user=user, now=now),
        "can_review_course": open_ and Kind.COURSE not in mine
        and actions.can_review(booking=booking, user=user, kind=Kind.COURSE, now=now),
    }
    return {**links, "show": any(links[k] for k in ("visit_review", "can_review", "can_review_course"))}

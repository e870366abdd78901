"""Template helpers for reviews: star strings, the venue panel, the 'write a review' link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from pamper.bookings.models import Booking, Status
from pamper.lib import clock, formats
from pamper.venues.models import Venue

from .. import actions, queries
from ..models import REVIEW_WINDOW, Kind, Review

register = template.Library()

PANEL_REVIEWS = 5


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
    reviews = list(queries.visible_reviews(venue).order_by("-created_at",
                                                           "-id")[:PANEL_REVIEWS]) if rating and rating.count else []
    return {
        "rating": rating,
        "reviews": reviews,
        "treatments": queries.treatment_ratings(venue) if reviews else [],
        "can_reply": bool(user and actions.is_venue_admin(user, venue.pk)),
        "more": (rating.count - len(reviews)) if rating else 0,
    }


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

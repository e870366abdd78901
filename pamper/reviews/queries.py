"""Reads shared by the API and the pages: keyset pages of a venue's reviews, rating panels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from pamper.lib import cursors
from pamper.venues.models import Venue

from .models import Review, TreatmentRating, VenueRating

SORTS = ("newest", "best")


class BadCursor(ValueError):
    """The cursor was not one this server handed out for this venue and sort."""


@dataclass(frozen=True)
class Page:
    reviews: list[Review]
    next_cursor: str | None


def encode_cursor(venue_id: int, sort: str, review: Review) -> str:
    """The signed cursor after `review`, bound to the venue and sort (pamper.lib.cursors)."""
    return cursors.seal("reviews", [review.overall, review.created_at.isoformat(), review.pk], [venue_id, sort])


def decode_cursor(venue_id: int, sort: str, cursor: str) -> tuple[int, dt.datetime, int]:
    """(overall, created_at, id) of the last review shown; BadCursor for a cursor not made for this venue and sort."""
    try:
        overall, created, pk = cursors.unseal("reviews", cursor, [venue_id, sort])
        when = dt.datetime.fromisoformat(created)
    except (cursors.BadCursor, ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc
    if type(overall) is not int or type(pk) is not int or when.tzinfo is None:
        raise BadCursor(cursor)
    return overall, when, pk


def visible_reviews(venue: Venue):  # type: ignore[no-untyped-def]
    return Review.objects.visible().filter(venue=venue).select_related("customer", "treatment", "staff")


def reviews_page(venue: Venue, *, sort: str = "newest", cursor: str | None = None, limit: int = 20) -> Page:
    """One page of the venue's visible reviews, newest or best (then newest) first.

    Keyset pagination: the cursor names the last review shown, so pages stay
    right while new reviews arrive. Raises BadCursor for a cursor we did not issue.
    """
    if sort not in SORTS:
        raise BadCursor(sort)
    qs = visible_reviews(venue)
    order = ["-created_at", "-id"] if sort == "newest" else ["-overall", "-created_at", "-id"]
    if cursor:
        overall, created, pk = decode_cursor(venue.pk, sort, cursor)
        after = Q(created_at__lt=created) | Q(created_at=created, id__lt=pk)
        if sort == "best":
            after = Q(overall__lt=overall) | (Q(overall=overall) & after)
        qs = qs.filter(after)
    rows = list(qs.order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(venue.pk, sort, rows[-1]) if more else None)


def venue_rating(venue: Venue) -> VenueRating | None:
    """The venue's aggregate row, or None before its first review."""
    return VenueRating.objects.filter(venue=venue).first()


def treatment_ratings(venue: Venue, *, limit: int = 8) -> list[TreatmentRating]:
    """The venue's per-treatment ratings, most reviewed first."""
    rows = TreatmentRating.objects.filter(venue=venue, count__gt=0).select_related("treatment")
    return list(rows.order_by("-count", "treatment__name")[:limit])

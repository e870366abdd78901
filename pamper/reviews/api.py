"""JSON API routes for reviews: list a venue's reviews, write one, reply, report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from pamper.accounts.auth import bearer
from pamper.errors import ErrorOut, Refusal
from pamper.lib.fields import Input
from pamper.venues.models import Venue

from . import actions, queries
from .models import ReportReason, Review
from .present import review_out, summary_out

router = Router(tags=["reviews"])

PAGE_MAX = 50


class TreatmentRef(Schema):
    slug: str
    name: str


class ReplyOut(Schema):
    text: str
    replied_at: dt.datetime


class ReviewOut(Schema):
    id: int
    venue_id: int
    kind: str
    sessions: int
    overall: int
    ambience: int | None
    cleanliness: int | None
    staff: int | None
    value: int | None
    text: str
    author: str
    treatment: TreatmentRef | None
    staff_name: str
    visited_at: dt.datetime
    created_at: dt.datetime
    reply: ReplyOut | None


class SummaryOut(Schema):
    count: int
    average: str | None = Field(description="Decimal as a string, two places; null without reviews.")
    recent_average: str | None = Field(description="Recency-weighted average (recent reviews weigh more).")
    distribution: dict[str, int] = Field(description="Number of reviews per star, keys '1'..'5'.")


class ReviewPage(Schema):
    summary: SummaryOut
    items: list[ReviewOut]
    next_cursor: str | None


class ListParams(Schema):
    sort: Literal["newest", "best"] = "newest"
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(20, ge=1, le=PAGE_MAX)


class ReviewIn(Input):
    booking_id: StrictInt
    kind: Literal["visit", "course"] = "visit"
    overall: StrictInt = Field(description="1 to 5 stars.")
    ambience: StrictInt | None = None
    cleanliness: StrictInt | None = None
    staff: StrictInt | None = None
    value: StrictInt | None = None
    text: str = Field("", description="Up to 2,000 characters; shown as plain text.")


class ReplyIn(Input):
    text: str


class ReportIn(Input):
    reason: Literal["fake", "offensive", "personal", "spam", "off_topic", "other"] = Field(
        description=", ".join(f"{v}: {label}" for v, label in ReportReason.choices)
    )
    note: str = ""


class ReportOut(Schema):
    id: int
    review_id: int
    reason: str
    created_at: dt.datetime


def published_venue(venue_id: int) -> Venue:
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    return venue


# ---------------------------------------------------------------- routes


@router.get(
    "/venues/{venue_id}/reviews",
    response={200: ReviewPage, 400: ErrorOut, 404: ErrorOut},
    summary="A venue's reviews, newest or best first, with its rating summary",
)
def list_reviews(request: HttpRequest, venue_id: int, params: Query[ListParams]) -> dict:
    venue = published_venue(venue_id)
    try:
        page = queries.reviews_page(venue, sort=params.sort, cursor=params.cursor, limit=params.limit)
    except queries.BadCursor as exc:
        raise Refusal(400, "bad_cursor", gettext("cursor: use the next_cursor value from the previous page.")) from exc
    rating = queries.venue_rating(venue)
    return {"summary": summary_out(rating), "items": [review_out(r) for r in page.reviews],
            "next_cursor": page.next_cursor}


@router.post(
    "/reviews",
    auth=bearer,
    response={201: ReviewOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Review an attended visit (or a finished course)",
    description=(
        "Only the customer of a booking the venue marked attended, within 90 days of the visit, once per booking "
        "(and once more with kind=course at the end of a course). Errors: 404 not_found (not your booking), "
        "422 not_attended, review_window_closed, course_not_finished, not_a_course, invalid_rating, text_too_long; "
        "409 already_reviewed."
    ),
)
def create_review(request: HttpRequest, data: ReviewIn) -> Status:
    stars = actions.Stars(data.overall, data.ambience, data.cleanliness, data.staff, data.value)
    review = actions.submit_review(user=request.auth, booking_id=data.booking_id, stars=stars, text=data.text,
                                   kind=data.kind)
    review = Review.objects.select_related("customer", "treatment", "staff").get(pk=review.pk)
    return Status(201, review_out(review))


@router.post(
    "/reviews/{review_id}/reply",
    auth=bearer,
    response={201: ReviewOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The venue's one public reply (owner or manager)",
)
def reply(request: HttpRequest, review_id: int, data: ReplyIn) -> Status:
    review = actions.reply_to_review(user=request.auth, review_id=review_id, text=data.text)
    review = Review.objects.select_related("customer", "treatment", "staff").get(pk=review.pk)
    return Status(201, review_out(review))


@router.post(
    "/reviews/{review_id}/report",
    auth=bearer,
    response={201: ReportOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Tell the platform operator a review breaks the rules",
)
def report(request: HttpRequest, review_id: int, data: ReportIn) -> Status:
    row = actions.report_review(user=request.auth, review_id=review_id, reason=data.reason, note=data.note)
    return Status(201, {"id": row.pk, "review_id": row.review_id, "reason": row.reason, "created_at": row.created_at})

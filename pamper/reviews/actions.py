"""Writes for reviews: submit, reply, report, hide, restore; each keeps the ratings in step.

Every write that changes which reviews count locks the venue row first
(select_for_update on PostgreSQL; on SQLite the IMMEDIATE transaction already
holds the database's write lock) and then rebuilds the venue's aggregates
from its visible reviews, so concurrent reviews can never lose an update.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from pamper.accounts.models import ADMIN_ROLES, Membership, User
from pamper.bookings.models import Booking, BookingItem, Status
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.search.index import set_rating
from pamper.venues.models import ServiceKind, Venue

from . import ratings
from .models import (
    REPLY_MAX,
    REVIEW_WINDOW,
    TEXT_MAX,
    Kind,
    ReportReason,
    Review,
    ReviewReport,
    TreatmentRating,
    VenueRating,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stars:
    overall: int
    ambience: int | None = None
    cleanliness: int | None = None
    staff: int | None = None
    value: int | None = None


@dataclass(frozen=True)
class Eligibility:
    """What a review of this booking would cover."""

    kind: str
    treatment_id: int | None
    staff_id: int | None
    sessions: int
    visited_at: dt.datetime


# ---------------------------------------------------------------- validation


def check_stars(stars: Stars) -> None:
    """Raise 422 invalid_rating unless overall is 1-5 and each optional rating is 1-5 or absent."""
    for name in ("overall", "ambience", "cleanliness", "staff", "value"):
        value = getattr(stars, name)
        if value is None and name != "overall":
            continue
        if type(value) is not int or not 1 <= value <= 5:
            raise Refusal(
                422,
                "invalid_rating",
                gettext("%(name)s: give a whole number of stars from 1 to 5.") % {"name": name},
                field=name,
            )


def clean_text(text: str | None, *, limit: int, field: str = "text") -> str:
    """The text trimmed; 422 when longer than limit or carrying control characters (NUL breaks PostgreSQL)."""
    value = (text or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise Refusal(
            422,
            "text_too_long",
            gettext("%(field)s: keep it to %(limit)s characters (this is %(len)s).")
            % {"field": field, "limit": limit, "len": len(value)},
            field=field,
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise Refusal(
            422, "invalid_text", gettext("%(field)s: remove the control characters.") % {"field": field}, field=field
        )
    return value


# ---------------------------------------------------------------- eligibility


def _items(booking: Booking) -> list[BookingItem]:
    return list(booking.items.select_related("service").order_by("position", "id"))


def _main_item(items: list[BookingItem]) -> BookingItem | None:
    treatments = [i for i in items if i.service.kind == ServiceKind.TREATMENT]
    return (treatments or items or [None])[0]


def _course_sessions(booking: Booking, treatment_id: int) -> int:
    """Attended visits with this treatment, this customer, this venue, since the last course review."""
    last = (
        Review.objects.filter(
            customer_id=booking.customer_id, venue_id=booking.venue_id, treatment_id=treatment_id, kind=Kind.COURSE
        )
        .order_by("-visited_at")
        .values_list("visited_at", flat=True)
        .first()
    )
    visits = Booking.objects.filter(
        customer_id=booking.customer_id,
        venue_id=booking.venue_id,
        status=Status.ATTENDED,
        items__service__treatment_id=treatment_id,
        end__lte=booking.end,
    )
    if last is not None:
        visits = visits.filter(end__gt=last)
    return visits.distinct().count()


def _course_eligibility(booking: Booking, items: list[BookingItem]) -> Eligibility:
    for item in items:
        treatment = item.service.treatment
        if treatment.course_sessions <= 1:
            continue
        done = _course_sessions(booking, treatment.pk)
        if done >= treatment.course_sessions:
            return Eligibility(Kind.COURSE, treatment.pk, item.staff_id, done, booking.end)
        raise Refusal(
            422,
            "course_not_finished",
            gettext(
                "A course review opens after %(treatment_course_sessions)s attended sessions of %(treatment_name)s; "
                "you have %(done)s."
            )
            % {"treatment_course_sessions": treatment.course_sessions, "treatment_name": treatment.name, "done": done},
        )
    raise Refusal(422, "not_a_course", gettext("This visit is not part of a course. Review the visit instead."))


def check_eligibility(*, booking: Booking, user: User, kind: str, now: dt.datetime) -> Eligibility:
    """What a review by user of booking would cover, or Refusal saying why not.

    404 when the booking is not the user's; 422 not_attended, review_window_closed
    (more than 90 days after the visit ended), course_not_finished, not_a_course;
    409 already_reviewed.
    """
    if booking.customer_id is None or booking.customer_id != user.pk:
        raise Refusal(404, "not_found", gettext("Not found."))
    if kind not in Kind.values:
        raise Refusal(422, "invalid_kind", gettext("kind: choose visit or course."), field="kind")
    if booking.status != Status.ATTENDED:
        raise Refusal(422, "not_attended", gettext("You can review a visit once the venue has marked it attended."))
    if now > booking.end + REVIEW_WINDOW:
        raise Refusal(
            422, "review_window_closed", gettext("Reviews close 90 days after the visit; this one has closed.")
        )
    if Review.objects.filter(booking=booking, kind=kind).exists():
        raise Refusal(409, "already_reviewed", gettext("You have already reviewed this."))
    items = _items(booking)
    if kind == Kind.COURSE:
        return _course_eligibility(booking, items)
    main = _main_item(items)
    treatment_id = main.service.treatment_id if main else None
    return Eligibility(Kind.VISIT, treatment_id, main.staff_id if main else None, 1, booking.end)


def can_review(*, booking: Booking, user: User, kind: str = Kind.VISIT, now: dt.datetime | None = None) -> bool:
    """True when user may review booking now (for showing a 'Write a review' link)."""
    try:
        check_eligibility(booking=booking, user=user, kind=kind, now=now or clock.now())
    except Refusal:
        return False
    return True


# ---------------------------------------------------------------- aggregates


def lock_venue(venue_id: int) -> Venue:
    """The venue row, locked until the transaction ends (a no-op lock on SQLite)."""
    venue = Venue.objects.select_for_update().filter(pk=venue_id).first()
    if venue is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    return venue


def _visits(reviews: Iterable[tuple]) -> list[ratings.RatedVisit]:
    return [ratings.RatedVisit(*row) for row in reviews]


def _save_counts(row: VenueRating | TreatmentRating, summary: ratings.Summary, now: dt.datetime) -> None:
    row.count, row.avg, row.updated_at = summary.count, summary.avg, now
    for n, c in summary.stars.items():
        setattr(row, f"stars_{n}", c)


def refresh_ratings(*, venue_id: int, now: dt.datetime | None = None) -> ratings.Summary:
    """Rebuild the venue's and its treatments' aggregates from visible reviews; call with the venue locked.

    Returns the venue summary. Also updates Venue.rating_avg/review_count and
    pushes them onto the search rows when the search index is installed.
    """
    now = now or clock.now()
    rows = list(
        Review.objects.visible()
        .filter(venue_id=venue_id)
        .values_list("overall", "visited_at", "ambience", "cleanliness", "staff_rating", "value", "treatment_id")
    )
    summary = ratings.summarise(_visits(r[:6] for r in rows))
    venue_rating = VenueRating.objects.filter(venue_id=venue_id).first() or VenueRating(venue_id=venue_id)
    _save_counts(venue_rating, summary, now)
    venue_rating.recent_avg = summary.recent_avg
    for name in ("ambience", "cleanliness", "staff", "value"):
        setattr(venue_rating, f"{name}_avg", summary.aspects[name])
    venue_rating.save()
    _refresh_treatments(venue_id, rows, now)
    Venue.objects.filter(pk=venue_id).update(rating_avg=summary.avg, review_count=summary.count)
    push_to_search(venue_id, summary.avg, summary.count)
    return summary


def _refresh_treatments(venue_id: int, rows: list[tuple], now: dt.datetime) -> None:
    by_treatment: dict[int, list[tuple]] = {}
    for row in rows:
        if row[6] is not None:
            by_treatment.setdefault(row[6], []).append(row[:6])
    existing = {r.treatment_id: r for r in TreatmentRating.objects.filter(venue_id=venue_id)}
    for treatment_id, items in by_treatment.items():
        row = existing.pop(treatment_id, None) or TreatmentRating(venue_id=venue_id, treatment_id=treatment_id)
        _save_counts(row, ratings.summarise(_visits(items)), now)
        row.save()
    TreatmentRating.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()


def push_to_search(venue_id: int, avg: object, count: int) -> None:
    """Copy the venue's rating onto its search rows (search stands below reviews)."""
    set_rating(venue_id, avg, count)  # type: ignore[arg-type]


# ---------------------------------------------------------------- writes


def submit_review(
    *, user: User, booking_id: int, stars: Stars, text: str = "", kind: str = Kind.VISIT, now: dt.datetime | None = None
) -> Review:
    """Create the user's review of an attended booking and update the ratings in the same transaction.

    Raises Refusal (see check_eligibility, check_stars, clean_text).
    """
    now = now or clock.now()
    check_stars(stars)
    body = clean_text(text, limit=TEXT_MAX)
    venue_id = Booking.objects.filter(pk=booking_id, customer_id=user.pk).values_list("venue_id", flat=True).first()
    if venue_id is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    try:
        with transaction.atomic():
            lock_venue(venue_id)
            booking = Booking.objects.get(pk=booking_id)
            what = check_eligibility(booking=booking, user=user, kind=kind, now=now)
            review = Review.objects.create(
                venue_id=venue_id,
                booking=booking,
                customer=user,
                treatment_id=what.treatment_id,
                staff_id=what.staff_id,
                kind=what.kind,
                sessions=what.sessions,
                overall=stars.overall,
                ambience=stars.ambience,
                cleanliness=stars.cleanliness,
                staff_rating=stars.staff,
                value=stars.value,
                text=body,
                visited_at=what.visited_at,
                created_at=now,
            )
            refresh_ratings(venue_id=venue_id, now=now)
    except IntegrityError as exc:  # a double submit that slipped past the check
        raise Refusal(409, "already_reviewed", gettext("You have already reviewed this.")) from exc
    return review


def is_venue_admin(user: User, venue_id: int) -> bool:
    return (
        bool(user.is_authenticated)
        and Membership.objects.filter(user=user, venue_id=venue_id, role__in=ADMIN_ROLES).exists()
    )


def visible_review(review_id: int) -> Review:
    review = Review.objects.visible().filter(pk=review_id).first()
    if review is None:
        raise Refusal(404, "not_found", gettext("Not found."))
    return review


def reply_to_review(*, user: User, review_id: int, text: str, now: dt.datetime | None = None) -> Review:
    """Store the venue's one public reply; 403 unless user is the venue's owner or manager, 409 if replied."""
    now = now or clock.now()
    review = visible_review(review_id)
    if not is_venue_admin(user, review.venue_id):
        raise Refusal(403, "not_venue_admin", gettext("Only the venue's owner or a manager can reply."))
    body = clean_text(text, limit=REPLY_MAX)
    if not body:
        raise Refusal(422, "empty_reply", gettext("text: write a reply first."), field="text")
    unanswered = Review.objects.filter(pk=review.pk, replied_at__isnull=True)
    updated = unanswered.update(reply_text=body, replied_at=now, replied_by=user)
    if not updated:
        raise Refusal(409, "already_replied", gettext("The venue has already replied to this review."))
    review.refresh_from_db()
    return review


def report_review(
    *, user: User, review_id: int, reason: str, note: str = "", now: dt.datetime | None = None
) -> ReviewReport:
    """Record user's report on a visible review; 409 when they reported it before."""
    review = visible_review(review_id)
    if reason not in ReportReason.values:
        raise Refusal(
            422, "invalid_reason",
            gettext("reason: choose one of %(reasons)s.") % {"reasons": ", ".join(ReportReason.values)},
            field="reason",
        )
    if review.customer_id == user.pk:
        raise Refusal(422, "own_review", gettext("You cannot report your own review."))
    body = clean_text(note, limit=1000, field="note")
    try:
        with transaction.atomic():
            return ReviewReport.objects.create(
                review=review, reporter=user, reason=reason, note=body, created_at=now or clock.now()
            )
    except IntegrityError as exc:
        raise Refusal(409, "already_reported", gettext("You have already reported this review.")) from exc


def hide_review(*, review: Review, by: User | None, reason: str, now: dt.datetime | None = None) -> Review:
    """Hide a review from everyone with the operator's reason, close its reports, rebuild the ratings."""
    now = now or clock.now()
    reason = clean_text(reason, limit=300, field="reason")
    if not reason:
        raise Refusal(422, "reason_required", gettext("Say why the review is hidden."), field="reason")
    with transaction.atomic():
        lock_venue(review.venue_id)
        Review.objects.filter(pk=review.pk).update(hidden_at=now, hidden_reason=reason, hidden_by=by)
        ReviewReport.objects.filter(review_id=review.pk, resolved_at__isnull=True).update(resolved_at=now)
        refresh_ratings(venue_id=review.venue_id, now=now)
    review.refresh_from_db()
    log.info("review %s hidden by %s: %s", review.pk, getattr(by, "pk", None), reason)
    return review


def restore_review(*, review: Review, by: User | None, now: dt.datetime | None = None) -> Review:
    """Show a hidden review again and count it in the ratings."""
    now = now or clock.now()
    with transaction.atomic():
        lock_venue(review.venue_id)
        Review.objects.filter(pk=review.pk).update(hidden_at=None, hidden_reason="", hidden_by=None)
        refresh_ratings(venue_id=review.venue_id, now=now)
    review.refresh_from_db()
    log.info("review %s restored by %s", review.pk, getattr(by, "pk", None))
    return review


def reviewable_bookings(*, user: User, now: dt.datetime | None = None) -> list[Booking]:
    """The user's attended bookings still inside the review window and not yet reviewed, newest first."""
    now = now or clock.now()
    return list(
        Booking.objects.filter(customer=user, status=Status.ATTENDED, end__gte=now - REVIEW_WINDOW)
        .exclude(Q(reviews__kind=Kind.VISIT))
        .select_related("venue")
        .order_by("-end")
    )

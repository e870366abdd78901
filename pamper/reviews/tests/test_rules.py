"""Who may review what, and when: attended visits only, within 90 days, once; courses at their end."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings.models import Status
from pamper.errors import Refusal
from pamper.reviews.actions import Stars, submit_review
from pamper.reviews.models import Kind, Review

from . import factories as f

NOW = f.NOW


def refused_code(**kw: object) -> tuple[int, str]:
    with pytest.raises(Refusal) as info:
        submit_review(now=NOW, **kw)  # type: ignore[arg-type]
    return info.value.status, info.value.code


def test_an_attended_visit_can_be_reviewed_once(shop) -> None:
    b = shop.visit()
    review = submit_review(user=shop.customer, booking_id=b.pk, stars=Stars(5, 4, 5, None, 3), text="Lovely.", now=NOW)
    stars = (review.overall, review.ambience, review.cleanliness, review.staff_rating, review.value)
    assert stars == (5, 4, 5, None, 3)
    assert review.treatment == shop.treatment and review.staff == shop.staff and review.venue == shop.venue
    assert refused_code(user=shop.customer, booking_id=b.pk, stars=Stars(1)) == (409, "already_reviewed")
    assert Review.objects.count() == 1


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.PENDING, Status.NO_SHOW, Status.CANCELLED, Status.HELD])
def test_no_review_without_an_attended_booking(shop, status: str) -> None:
    b = shop.visit(status=status)
    assert refused_code(user=shop.customer, booking_id=b.pk, stars=Stars(5)) == (422, "not_attended")
    assert not Review.objects.exists()


def test_someone_elses_booking_is_not_found(shop) -> None:
    b = shop.visit()
    stranger = f.user(name="Sam Stranger")
    assert refused_code(user=stranger, booking_id=b.pk, stars=Stars(1)) == (404, "not_found")
    assert refused_code(user=shop.owner, booking_id=b.pk, stars=Stars(5)) == (404, "not_found")
    assert refused_code(user=shop.customer, booking_id=999_999, stars=Stars(5)) == (404, "not_found")


def test_the_window_closes_90_days_after_the_visit(shop) -> None:
    inside = shop.visit(days_ago=90)  # ended exactly 90 days ago
    outside = shop.visit(days_ago=90.01)
    assert submit_review(user=shop.customer, booking_id=inside.pk, stars=Stars(4), now=NOW)
    assert refused_code(user=shop.customer, booking_id=outside.pk, stars=Stars(4)) == (422, "review_window_closed")


@pytest.mark.parametrize(
    "stars", [Stars(0), Stars(6), Stars(-1), Stars(5, ambience=0), Stars(5, value=6), Stars(True), Stars(4.5)]  # type: ignore[arg-type]
)
def test_bad_ratings_are_refused(shop, stars: Stars) -> None:
    b = shop.visit()
    assert refused_code(user=shop.customer, booking_id=b.pk, stars=stars) == (422, "invalid_rating")


def test_text_is_limited_to_2000_characters_and_plain(shop) -> None:
    b = shop.visit()
    assert refused_code(user=shop.customer, booking_id=b.pk, stars=Stars(4), text="x" * 2001) == (422, "text_too_long")
    refused = refused_code(user=shop.customer, booking_id=b.pk, stars=Stars(4), text="nul\x00byte")
    assert refused == (422, "invalid_text")
    review = submit_review(user=shop.customer, booking_id=b.pk, stars=Stars(4), text="  " + "y" * 2000 + "\n", now=NOW)
    assert len(review.text) == 2000


def test_a_course_can_be_reviewed_at_its_end(shop) -> None:
    course = f.treatment(name="Microneedling", course_sessions=3)
    svc = f.service(shop.venue, course)
    visits = [f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=d)) for d in (40, 26, 12)]
    # Not before the last session.
    assert refused_code(user=shop.customer, booking_id=visits[1].pk, stars=Stars(5),
                        kind=Kind.COURSE) == (422, "course_not_finished")
    # Each visit and then the whole course, on the final visit.
    submit_review(user=shop.customer, booking_id=visits[2].pk, stars=Stars(3), now=NOW)
    whole = submit_review(user=shop.customer, booking_id=visits[2].pk, stars=Stars(5), text="Worth it.",
                          kind=Kind.COURSE, now=NOW)
    assert whole.kind == Kind.COURSE and whole.sessions == 3 and whole.treatment == course
    assert refused_code(user=shop.customer, booking_id=visits[2].pk, stars=Stars(5),
                        kind=Kind.COURSE) == (409, "already_reviewed")
    # A second course starts counting again.
    again = f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=2))
    assert refused_code(user=shop.customer, booking_id=again.pk, stars=Stars(5),
                        kind=Kind.COURSE) == (422, "course_not_finished")


def test_a_course_needs_attended_sessions_not_just_bookings(shop) -> None:
    course = f.treatment(name="Mesotherapy", course_sessions=2)
    svc = f.service(shop.venue, course)
    f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=30), status=Status.NO_SHOW)
    last = f.booking(shop.customer, svc, shop.staff, start=NOW - dt.timedelta(days=5))
    assert refused_code(user=shop.customer, booking_id=last.pk, stars=Stars(5),
                        kind=Kind.COURSE) == (422, "course_not_finished")


def test_a_single_treatment_is_not_a_course(shop) -> None:
    b = shop.visit()
    assert refused_code(user=shop.customer, booking_id=b.pk, stars=Stars(5), kind=Kind.COURSE) == (422, "not_a_course")

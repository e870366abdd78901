"""Venue and treatment ratings follow the visible reviews, also under concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from pamper.errors import Refusal
from pamper.reviews.actions import Stars, hide_review, restore_review, submit_review
from pamper.reviews.models import Review, TreatmentRating, VenueRating
from pamper.venues.models import Venue

from . import factories as f

NOW = f.NOW


def review(shop, stars: int, *, days_ago: float = 3, **kw: object):  # type: ignore[no-untyped-def]
    customer = f.user(name="Kit Doe")
    b = shop.visit(days_ago=days_ago, customer=customer)
    return submit_review(user=customer, booking_id=b.pk, stars=Stars(stars, **kw), now=NOW)  # type: ignore[arg-type]


def test_venue_average_count_and_distribution(shop) -> None:
    for stars in (5, 5, 4, 2):
        review(shop, stars, cleanliness=4)
    venue = Venue.objects.get(pk=shop.venue.pk)
    assert (venue.rating_avg, venue.review_count) == (Decimal("4.00"), 4)
    rating = VenueRating.objects.get(venue=venue)
    assert rating.distribution() == [(5, 2, 50), (4, 1, 25), (3, 0, 0), (2, 1, 25), (1, 0, 0)]
    assert rating.cleanliness_avg == Decimal("4.00") and rating.ambience_avg is None
    with translation.override("de"):  # the aspects are said in the reader's language (they were English)
        assert [label for label, _ in rating.aspect_averages()] == ["Sauberkeit"]
        assert [label for label, _ in Review.objects.first().aspect_ratings()] == ["Sauberkeit"]


def test_per_treatment_ratings(shop) -> None:
    review(shop, 5)
    other = f.treatment(name="Facial")
    svc = f.service(shop.venue, other)
    customer = f.user()
    b = f.booking(customer, svc, shop.staff, start=NOW - dt.timedelta(days=2))
    submit_review(user=customer, booking_id=b.pk, stars=Stars(2), now=NOW)
    rows = {r.treatment_id: (r.count, r.avg, r.stars_2,
                             r.stars_5) for r in TreatmentRating.objects.filter(venue=shop.venue)}
    assert rows == {shop.treatment.pk: (1, Decimal("5.00"), 0, 1), other.pk: (1, Decimal("2.00"), 1, 0)}
    assert Venue.objects.get(pk=shop.venue.pk).rating_avg == Decimal("3.50")


def test_recent_reviews_weigh_more(shop) -> None:
    review(shop, 1, days_ago=85)
    review(shop, 5, days_ago=1)
    rating = VenueRating.objects.get(venue=shop.venue)
    assert rating.avg == Decimal("3.00")
    assert Decimal("3.00") < rating.recent_avg < Decimal("3.5")


def test_hiding_a_review_takes_it_out_of_the_rating_and_restoring_puts_it_back(shop) -> None:
    review(shop, 5)
    bad = review(shop, 1)
    hide_review(review=bad, by=None, reason="Abusive language", now=NOW)
    venue = Venue.objects.get(pk=shop.venue.pk)
    assert (venue.rating_avg, venue.review_count) == (Decimal("5.00"), 1)
    assert bad.is_hidden and bad.hidden_reason == "Abusive language"
    restore_review(review=bad, by=None, now=NOW)
    venue.refresh_from_db()
    assert (venue.rating_avg, venue.review_count) == (Decimal("3.00"), 2)


def test_hiding_needs_a_reason(shop) -> None:
    r = review(shop, 1)
    with pytest.raises(Refusal):
        hide_review(review=r, by=None, reason="   ")
    hide_review(review=r, by=shop.owner, reason="Spam")
    assert Venue.objects.get(pk=shop.venue.pk).review_count == 0


def _run_in_threads(jobs: list) -> list:  # type: ignore[type-arg]
    """Run each job in its own thread with its own connection, all released at once; returns results/exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = jobs[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_aggregates_stay_right_under_concurrent_reviews() -> None:
    v, t = f.venue(), f.treatment()
    svc, who = f.service(v, t), f.staff(v)
    stars = [5, 4, 3, 5, 1, 2, 5, 4, 4, 3]
    people = [f.user(name=f"Person {i}") for i in stars]
    bookings = [f.booking(p, svc, who, start=NOW - dt.timedelta(days=1 + i)) for i, p in enumerate(people)]
    jobs = [
        (lambda p=p, b=b, s=s: submit_review(user=p, booking_id=b.pk, stars=Stars(s), now=NOW))
        for p, b, s in zip(people, bookings, stars, strict=True)
    ]
    results = _run_in_threads(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    v.refresh_from_db()
    assert v.review_count == len(stars)
    assert v.rating_avg == Decimal(sum(stars)) / len(stars)
    rating = VenueRating.objects.get(venue=v)
    assert [c for _, c, _ in rating.distribution()] == [stars.count(n) for n in (5, 4, 3, 2, 1)]
    assert TreatmentRating.objects.get(venue=v, treatment=t).count == len(stars)


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_stores_one_review_and_answers_the_other_with_a_conflict() -> None:
    v, t = f.venue(), f.treatment()
    customer = f.user()
    b = f.booking(customer, f.service(v, t), f.staff(v), start=NOW - dt.timedelta(days=1))
    results = _run_in_threads([lambda: submit_review(user=customer, booking_id=b.pk, stars=Stars(4), now=NOW)] * 4)
    refusals = [r for r in results if isinstance(r, Refusal)]
    assert len(refusals) == 3 and {r.code for r in refusals} == {"already_reviewed"}
    v.refresh_from_db()
    assert v.review_count == 1

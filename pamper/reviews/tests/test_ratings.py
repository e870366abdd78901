"""Rating arithmetic: averages, recency weights, shrinkage toward the mean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pamper.reviews import ratings, search_score
from pamper.reviews.actions import Stars, submit_review

from . import factories as f

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_mean_rounds_half_up() -> None:
    assert ratings.mean([4, 5]) == Decimal("4.50")
    assert ratings.mean([5, 5, 4]) == Decimal("4.67")
    assert ratings.mean([]) is None


def test_recency_weight_halves_every_half_life() -> None:
    half = dt.timedelta(days=ratings.RECENCY_HALF_LIFE_DAYS)
    # The old 1-star weighs half as much as the new 5-star: (1*0.5 + 5*1) / 1.5
    assert ratings.recency_weighted_average([(1, T0), (5, T0 + half)]) == Decimal("3.67")
    assert ratings.recency_weighted_average([]) is None


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 2000)), min_size=1, max_size=40), st.integers(0, 5000))
def test_recency_average_stays_within_the_ratings_and_ignores_a_common_shift(rows: list[tuple[int, int]],
                                                                             shift: int) -> None:
    dated = [(s, T0 + dt.timedelta(days=d)) for s, d in rows]
    value = ratings.recency_weighted_average(dated)
    assert min(s for s, _ in rows) <= value <= max(s for s, _ in rows)
    assert ratings.recency_weighted_average([(s, w + dt.timedelta(days=shift)) for s, w in dated]) == value


def test_shrinkage_pulls_few_reviews_toward_the_mean() -> None:
    one_perfect = ratings.shrunk_rating(Decimal("5.00"), 1, prior_mean=Decimal("4.2"))
    many_good = ratings.shrunk_rating(Decimal("4.80"), 300, prior_mean=Decimal("4.2"))
    assert many_good > one_perfect > 4.2
    assert ratings.shrunk_rating(None, 0, prior_mean=Decimal("4.2")) == 4.2


def test_recommended_ratings_for_search(shop) -> None:
    quiet = f.venue(name="Quiet Place")
    b = shop.visit()
    submit_review(user=shop.customer, booking_id=b.pk, stars=Stars(5), now=f.NOW)
    scores = search_score.recommended_ratings([shop.venue.pk, quiet.pk])
    assert search_score.platform_mean(fresh=True) == Decimal("5.00")
    assert set(scores) == {shop.venue.pk, quiet.pk}
    info = search_score.venue_ratings([shop.venue.pk, quiet.pk])
    assert list(info) == [shop.venue.pk] and info[shop.venue.pk].recent_avg == Decimal("5.00")

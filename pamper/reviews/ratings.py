"""Rating arithmetic with no database access: averages, distributions, recency weights, shrinkage.

Everything here takes plain values so the same code serves the live actions,
the bulk demo generator and the search ranking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# A review's weight in the recency-weighted average halves for every this many
# days it is older than the venue's newest review.
RECENCY_HALF_LIFE_DAYS = 180
# Shrinkage: a venue's rating counts as if it also had this many reviews at the
# platform-wide mean, so 5.0 from one review does not outrank 4.8 from 300.
PRIOR_WEIGHT = 5.0
# Used as the prior when the platform has no reviews yet.
DEFAULT_PRIOR_MEAN = Decimal("4.00")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RatedVisit:
    """One visible review reduced to what the aggregates need."""

    overall: int
    visited_at: dt.datetime
    ambience: int | None = None
    cleanliness: int | None = None
    staff: int | None = None
    value: int | None = None


@dataclass(frozen=True)
class Summary:
    count: int
    avg: Decimal | None
    recent_avg: Decimal | None
    stars: dict[int, int] = field(default_factory=dict)
    aspects: dict[str, Decimal | None] = field(default_factory=dict)


def to_stars(value: float | Decimal) -> Decimal:
    """A rating rounded half-up to two places, as stored (Decimal 3,2)."""
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[int]) -> Decimal | None:
    """Exact mean of whole-star ratings to two places, or None for no values."""
    items = list(values)
    if not items:
        return None
    return (Decimal(sum(items)) / Decimal(len(items))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def recency_weighted_average(
    ratings: Sequence[tuple[int, dt.datetime]], *, half_life_days: float = RECENCY_HALF_LIFE_DAYS
) -> Decimal | None:
    """Average where each (stars, when) weighs 0.5 ** (age / half-life), age measured from the newest.

    Measuring from the newest rating rather than from now keeps the value fixed
    between reviews (scaling every weight by the same factor leaves the ratio
    alone), so it can be stored and never goes stale. None for no ratings.
    """
    if not ratings:
        return None
    newest = max(when for _, when in ratings)
    total = weights = 0.0
    for stars, when in ratings:
        age_days = (newest - when).total_seconds() / 86400
        weight = 0.5 ** (age_days / half_life_days)
        total += stars * weight
        weights += weight
    return to_stars(total / weights)


def summarise(visits: Iterable[RatedVisit]) -> Summary:
    """Count, average, recency-weighted average, star distribution and aspect averages."""
    rows = list(visits)
    stars = {n: 0 for n in range(1, 6)}
    for row in rows:
        stars[row.overall] += 1
    aspects = {
        name: mean(v for row in rows if (v := getattr(row, name)) is not None)
        for name in ("ambience", "cleanliness", "staff", "value")
    }
    return Summary(
        count=len(rows),
        avg=mean(row.overall for row in rows),
        recent_avg=recency_weighted_average([(row.overall, row.visited_at) for row in rows]),
        stars=stars,
        aspects=aspects,
    )


def shrunk_rating(
    avg: Decimal | float | None, count: int, *, prior_mean: Decimal | float = DEFAULT_PRIOR_MEAN,
    prior_weight: float = PRIOR_WEIGHT,
) -> float:
    """Bayesian average: (prior_weight * prior_mean + count * avg) / (prior_weight + count).

    A venue with no reviews gets the prior mean; the more reviews, the closer
    the result is to the venue's own average. Pass the recency-weighted
    average as `avg` for the recommended ranking.
    """
    if avg is None or count <= 0:
        return float(prior_mean)
    return (prior_weight * float(prior_mean) + count * float(avg)) / (prior_weight + count)

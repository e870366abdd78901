"""The "recommended" order: a documented score. Pure functions, no database.

score = 0.40 * rating_part + 0.30 * distance_part + 0.15 * price_part
      + 0.15 * availability_part + 1.0 * variant_part

rating_part        (shrunk rating - 1) / 4, in [0, 1]. The shrunk rating is a
                   Bayesian average: (PRIOR_WEIGHT * PRIOR_MEAN + n * avg) /
                   (PRIOR_WEIGHT + n), so a venue with 2 reviews of 5.0 sits
                   near the prior of 4.0 and one with 300 reviews of 4.8 keeps
                   its 4.8. A venue with no reviews scores the prior.
distance_part      1 - (chord / search-radius chord)^2, which for the short
                   distances of a search is 1 - (distance / radius)^2: a venue
                   at the centre scores 1, one at the edge 0, and the first
                   few hundred metres hardly matter.
price_part         median / (median + price) against the local median price of
                   the treatment (its 1-degree region): 0.5 at the median,
                   towards 1 for cheaper, towards 0 for dearer. 0.5 for all
                   when no median is known.
availability_part  from the first free slot: within a day 1.0, within 3 days
                   0.6, within a week 0.3, later 0.1, unknown 0.
variant_part       1 when the person asked for a variant (e.g. needle-free)
                   and the venue offers it, else 0: such venues come first.

The same arithmetic runs in SQL (sql.py) so the order is decided by the
database with keyset pagination; `score_parts` recomputes it for ?explain=1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRIOR_MEAN = 4.0
PRIOR_WEIGHT = 5.0
W_RATING = 0.40
W_DISTANCE = 0.30
W_PRICE = 0.15
W_AVAILABILITY = 0.15
W_VARIANT = 1.0
# (within this long, availability_part); later than the last step scores LATER.
AVAILABILITY_STEPS: tuple[tuple[dt.timedelta, float], ...] = (
    (dt.timedelta(days=1), 1.0),
    (dt.timedelta(days=3), 0.6),
    (dt.timedelta(days=7), 0.3),
)
AVAILABILITY_LATER = 0.1
AVAILABILITY_UNKNOWN = 0.0


def shrunk_rating(rating_avg: float | None, review_count: int) -> float:
    """Bayesian average of the rating toward PRIOR_MEAN; PRIOR_MEAN with no reviews."""
    if rating_avg is None or review_count <= 0:
        return PRIOR_MEAN
    return (PRIOR_WEIGHT * PRIOR_MEAN + review_count * float(rating_avg)) / (PRIOR_WEIGHT + review_count)


def rating_part(rating_score: float) -> float:
    return (rating_score - 1.0) / 4.0


def distance_part(chord2: float, chord2_max: float) -> float:
    return 1.0 - chord2 / chord2_max


def price_part(price: float, median: float | None) -> float:
    if median is None:
        return 0.5
    return median / (median + price)


def availability_part(next_available: dt.datetime | None, now: dt.datetime) -> float:
    if next_available is None:
        return AVAILABILITY_UNKNOWN
    for within, part in AVAILABILITY_STEPS:
        if next_available <= now + within:
            return part
    return AVAILABILITY_LATER


@dataclass(frozen=True)
class ScoreParts:
    rating: float
    distance: float
    price: float
    availability: float
    variant: float

    @property
    def total(self) -> float:
        # Same order of operations as the SQL in sql._score_sql, so the
        # floats agree bit for bit.
        return (
            W_RATING * self.rating
            + W_DISTANCE * self.distance
            + W_PRICE * self.price
            + W_AVAILABILITY * self.availability
            + W_VARIANT * self.variant
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "rating": round(self.rating, 4),
            "distance": round(self.distance, 4),
            "price": round(self.price, 4),
            "availability": round(self.availability, 4),
            "variant": self.variant,
            "total": round(self.total, 4),
        }


def score_parts(
    *,
    rating_score: float,
    chord2: float,
    chord2_max: float,
    price: float,
    median: float | None,
    next_available: dt.datetime | None,
    has_variant: bool,
    now: dt.datetime,
) -> ScoreParts:
    """Each part of the recommended score for one search row."""
    return ScoreParts(
        rating=rating_part(rating_score),
        distance=distance_part(chord2, chord2_max),
        price=price_part(price, median),
        availability=availability_part(next_available, now),
        variant=1.0 if has_variant else 0.0,
    )

"""What search reads from reviews: ratings per venue and the shrunk, recency-weighted score.

For the recommended ranking call `recommended_ratings(venue_ids)` (two queries,
cached prior) or, holding the numbers already, the pure
`ratings.shrunk_rating(recent_avg, count, prior_mean=platform_mean())`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, Sum

from . import ratings
from .models import VenueRating

PRIOR_CACHE_KEY = "reviews:platform-mean"
PRIOR_CACHE_SECONDS = 600


@dataclass(frozen=True)
class VenueRatingInfo:
    venue_id: int
    count: int
    avg: Decimal | None
    recent_avg: Decimal | None


def venue_ratings(venue_ids: Iterable[int]) -> dict[int, VenueRatingInfo]:
    """Ratings of the given venues in one query; venues without reviews are absent."""
    rated = VenueRating.objects.filter(venue_id__in=list(venue_ids), count__gt=0)
    rows = rated.values_list("venue_id", "count", "avg", "recent_avg")
    return {row[0]: VenueRatingInfo(*row) for row in rows}


def platform_mean(*, fresh: bool = False) -> Decimal:
    """Mean star rating over every visible review on the platform (cached ten minutes); 4.00 before any."""
    if not fresh and (cached := cache.get(PRIOR_CACHE_KEY)) is not None:
        return Decimal(cached)
    totals = VenueRating.objects.filter(count__gt=0).aggregate(stars=Sum(F("avg") * F("count")), n=Sum("count"))
    value = ratings.to_stars(totals["stars"] / totals["n"]) if totals["n"] else ratings.DEFAULT_PRIOR_MEAN
    cache.set(PRIOR_CACHE_KEY, str(value), PRIOR_CACHE_SECONDS)
    return value


def recommended_ratings(venue_ids: Iterable[int]) -> dict[int, float]:
    """Score per venue for the recommended ranking: recency-weighted average shrunk toward the platform mean.

    Every venue asked for gets a score; one without reviews gets the platform mean.
    """
    ids = list(venue_ids)
    prior = platform_mean()
    found = venue_ratings(ids)
    return {
        vid: ratings.shrunk_rating(found[vid].recent_avg, found[vid].count,
                                   prior_mean=prior) if vid in found else float(prior)
        for vid in ids
    }

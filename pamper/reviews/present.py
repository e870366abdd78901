"""JSON forms of reviews for the API: one review with its reply, and a venue's rating summary."""

from __future__ import annotations

from .models import Review, VenueRating


def review_out(review: Review) -> dict:
    """A review as the API shows it: aspects, author's first name, treatment, staff first name and reply."""
    treatment = review.treatment
    return {
        "id": review.pk, "venue_id": review.venue_id, "kind": review.kind, "sessions": review.sessions,
        "overall": review.overall, "ambience": review.ambience, "cleanliness": review.cleanliness,
        "staff": review.staff_rating, "value": review.value, "text": review.text, "author": review.author_name,
        "treatment": {"slug": treatment.slug, "name": treatment.name} if treatment else None,
        "staff_name": review.staff_first_name, "visited_at": review.visited_at, "created_at": review.created_at,
        "reply": {"text": review.reply_text, "replied_at": review.replied_at} if review.has_reply else None,
    }


def summary_out(rating: VenueRating | None) -> dict:
    """Count, averages (strings) and the star distribution; zeros for a venue without reviews."""
    if rating is None:
        return {"count": 0, "average": None, "recent_average": None, "distribution": {str(n): 0 for n in range(1, 6)}}
    return {
        "count": rating.count,
        "average": str(rating.avg) if rating.avg is not None else None,
        "recent_average": str(rating.recent_avg) if rating.recent_avg is not None else None,
        "distribution": {str(n): getattr(rating, f"stars_{n}") for n in range(1, 6)},
    }

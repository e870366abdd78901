"""Reviews' section of the person's export (accounts.hooks.register_export_section, connected in
ReviewsConfig.ready): the reviews they wrote with the venues' replies, replies they wrote for a venue, and the
reviews they reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import Review, ReviewReport


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    written = Review.objects.filter(customer=user).select_related("venue", "treatment", "staff")
    return hooks.ExportPart({
        "written": [
            {"venue": r.venue.name, "booking_id": r.booking_id, "kind": r.kind,
             "treatment": r.treatment.name if r.treatment else None, "staff": r.staff.name if r.staff else None,
             "overall": r.overall, "ambience": r.ambience, "cleanliness": r.cleanliness, "staff_rating": r.staff_rating,
             "value": r.value, "text": r.text, "visited_at": iso(r.visited_at), "written_at": iso(r.created_at),
             "reply": r.reply_text or None, "replied_at": iso(r.replied_at), "hidden_at": iso(r.hidden_at),
             "hidden_reason": r.hidden_reason or None}
            for r in written.order_by("created_at", "pk")],
        "replies_written": [{"venue": r.venue.name, "review_id": r.pk, "reply": r.reply_text,
                             "replied_at": iso(r.replied_at)}
                            for r in Review.objects.filter(replied_by=user).select_related("venue").order_by("pk")],
        "reports": [{"review_id": r.review_id, "reason": r.reason, "note": r.note, "at": iso(r.created_at),
                     "resolved_at": iso(r.resolved_at)}
                    for r in ReviewReport.objects.filter(reporter=user).order_by("created_at", "pk")],
    })


def register() -> None:
    hooks.register_export_section("reviews", section, covers=("reviews.Review", "reviews.ReviewReport"))

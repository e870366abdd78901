"""How a venue looks in JSON: money as a string with its currency, times of day as the venue's local "HH:MM"."""

from __future__ import annotations

from typing import Any

from pamper.lib import walltime
from pamper.lib.money import money_str

from .queries import VenueDetail


def venue_json(detail: VenueDetail) -> dict[str, Any]:
    """A venue with its services (and who performs each), staff, opening hours and closures ahead, as the API
    shows it (the schema is api.VenueDetailOut)."""
    v = detail.venue
    return {
        "id": v.id, "slug": v.slug, "name": v.name, "kind": v.kind, "description": v.description,
        "address": v.address, "city": v.city, "postcode": v.postcode, "country": v.country, "lat": v.latitude,
        "lng": v.longitude, "timezone": v.timezone, "currency": v.currency, "phone": v.phone,
        "rating": float(v.rating_avg) if v.rating_avg is not None else None, "review_count": v.review_count,
        "url": v.get_absolute_url(),
        "services": [
            {"id": s.id, "name": s.name, "treatment": s.treatment.slug, "category": s.treatment.category.slug,
             "kind": s.kind, "variant": s.variant, "price": money_str(s.price, s.currency), "currency": s.currency,
             "duration_minutes": s.duration_minutes, "buffer_before": s.buffer_before,
             "buffer_after": s.buffer_after, "online_bookable": s.online_bookable,
             "staff": detail.staff_of.get(s.id, [])}
            for s in detail.services
        ],
        "staff": [{"id": m.id, "name": m.name, "title": m.title, "services": detail.services_of.get(m.id, [])}
                  for m in detail.staff],
        "opening_hours": [{"weekday": h.weekday, "day": h.get_weekday_display(), "opens": walltime.text(h.opens),
                           "closes": walltime.text(h.closes)} for h in detail.hours],
        "closures": [{"start_date": c.start_date, "end_date": c.end_date, "reason": c.reason}
                     for c in detail.closures],
    }

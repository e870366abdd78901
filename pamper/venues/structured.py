"""A venue as schema.org JSON-LD: the LocalBusiness subtype, address, geo, hours, price range, rating, offers.

Pure: built from what the venue page already read (no database access).

Reviews. Google shows review stars for a LocalBusiness only on sites that
collect reviews about *other* businesses; a business marking up reviews of
itself (on its own site or through a widget it embeds) is "self-serving" and
ineligible (Google Search Central, "Review snippet" guidelines, and the
2019 note on self-serving reviews). Pamper is a marketplace whose reviews are
written by customers about venues Pamper does not run, and every review hangs
off an attended booking (pamper.reviews: verified), so the venue's
`aggregateRating` may be marked up. The guidelines also require the rating to
be visible on the marked-up page and to be about one specific business: it is
added only where the page shows it (the venue page, when it has reviews), from
the same numbers the page prints (Venue.rating_avg and review_count, rebuilt
from visible reviews), never on a list of venues or on Pamper itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pamper.lib.meta import absolute
from pamper.lib.money import format_money, money_str

from .models import WEEKDAYS, OpeningHours, Service, ServiceKind, Venue, VenueKind

SCHEMA_DAYS = {number: f"https://schema.org/{name}" for number, name in WEEKDAYS}
# Which schema.org type a venue is: its kind, refined by what a salon mostly offers.
KIND_TYPES = {VenueKind.CLINIC: "MedicalClinic", VenueKind.SPA: "DaySpa", VenueKind.BARBER: "HairSalon"}
SALON_TYPES = {"hair": "HairSalon", "nails": "NailSalon"}


def business_type(venue: Venue, category_slugs: Iterable[str] = ()) -> str:
    """'MedicalClinic', 'DaySpa', 'HairSalon', 'NailSalon' or 'BeautySalon' for a salon offering a mix."""
    if venue.kind in KIND_TYPES:
        return KIND_TYPES[venue.kind]
    slugs = list(category_slugs)
    if slugs:
        top = max(set(slugs), key=slugs.count)
        if slugs.count(top) * 2 > len(slugs) and top in SALON_TYPES:
            return SALON_TYPES[top]
    return "BeautySalon"


def price_range(services: Iterable[Service]) -> str:
    """'£20–£350' over the bookable services ('' with none)."""
    priced = [s for s in services if s.kind == ServiceKind.TREATMENT]
    if not priced:
        return ""
    low, high = min(s.price for s in priced), max(s.price for s in priced)
    currency = priced[0].currency
    if low == high:
        return format_money(low, currency)
    return f"{format_money(low, currency)}–{format_money(high, currency)}"


def address(venue: Venue) -> dict[str, Any]:
    return {"@type": "PostalAddress", "streetAddress": venue.address, "addressLocality": venue.city,
            "postalCode": venue.postcode, "addressCountry": venue.country}


def geo(venue: Venue) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": round(venue.latitude, 6), "longitude": round(venue.longitude, 6)}


def rating(avg: Decimal | float | None, count: int) -> dict[str, Any] | None:
    """AggregateRating on the 1-5 scale, or None when there is nothing to show."""
    if avg is None or not count:
        return None
    return {"@type": "AggregateRating", "ratingValue": f"{Decimal(str(avg)):.1f}", "reviewCount": count,
            "bestRating": 5, "worstRating": 1}


def opening_hours(hours: Iterable[OpeningHours]) -> list[dict[str, Any]]:
    return [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[h.weekday],
         # Until midnight (walltime.END_OF_DAY) is written 23:59, as search engines ask for a day's last hour.
         "opens": h.opens.strftime("%H:%M"), "closes": h.closes.strftime("%H:%M")}
        for h in hours
    ]


def offer(service: Service, venue_url: str) -> dict[str, Any]:
    return {
        "@type": "Offer", "price": money_str(service.price, service.currency), "priceCurrency": service.currency,
        "url": venue_url,
        "itemOffered": {"@type": "Service", "name": service.name, "serviceType": service.treatment.name},
    }


def local_business(venue: Venue, *, services: list[Service], hours: list[OpeningHours], show_rating: bool,
                   image: str = "") -> dict[str, Any]:
    """The venue page's LocalBusiness: only what that page shows (its listed services, hours, rating)."""
    url = absolute(venue.get_absolute_url())
    treatments = [s for s in services if s.kind == ServiceKind.TREATMENT]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": business_type(venue, (s.treatment.category.slug for s in treatments)),
        "@id": f"{url}#business",
        "name": venue.name,
        "url": url,
        "address": address(venue),
        "geo": geo(venue),
    }
    optional = {
        "description": venue.description, "telephone": venue.phone, "image": absolute(image) if image else "",
        "priceRange": price_range(treatments), "openingHoursSpecification": opening_hours(hours),
        "aggregateRating": rating(venue.rating_avg, venue.review_count) if show_rating else None,
        "makesOffer": [offer(s, url) for s in services],
    }
    data.update({key: value for key, value in optional.items() if value})
    return data

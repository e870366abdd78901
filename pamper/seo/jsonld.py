"""A landing page as schema.org JSON-LD: breadcrumbs, the offers in the town, the venues, the questions.

It describes only what the page shows. The venues are an ItemList of links to
their own pages (Google's "summary page" pattern: each venue page carries the
full LocalBusiness, with its rating). No rating is marked up here: Google's
review-snippet rules want a rating about one specific item, shown with its
reviews on the marked-up page, and a list of venues is neither.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pamper.lib.meta import absolute, breadcrumbs
from pamper.lib.money import money_str

from .landing import Landing


def item_list(page: Landing, name: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "numberOfItems": len(page.cards),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "url": absolute(card.url), "name": card.name}
            for i, card in enumerate(page.cards, start=1)
        ],
    }


def faq_page(page: Landing) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q.question, "acceptedAnswer": {"@type": "Answer", "text": q.answer}}
            for q in page.questions
        ],
    }


def offers(page: Landing, name: str, url: str) -> dict[str, Any]:
    """The treatment (or category) as a Service in the town with the offers' real price range."""
    return {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": name,
        "url": absolute(url),
        "serviceType": page.treatment.name if page.treatment else page.category.name if page.category else name,
        "areaServed": {"@type": "City", "name": page.town.name,
                       "geo": {"@type": "GeoCoordinates", "latitude": round(page.town.lat, 6),
                               "longitude": round(page.town.lng, 6)}},
        "offers": {"@type": "AggregateOffer", "lowPrice": money_str(page.low, page.currency),
                   "highPrice": money_str(page.high, page.currency),
                   "priceCurrency": page.currency, "offerCount": page.venue_count},
    }


def landing_jsonld(page: Landing, *, title: str, path: str, trail: list[tuple[str, str]]) -> list[dict[str, Any]]:
    blocks = [breadcrumbs(trail), offers(page, title, path), item_list(page, _("Venues: %(title)s") % {"title": title})]
    if page.questions:
        blocks.append(faq_page(page))
    return blocks

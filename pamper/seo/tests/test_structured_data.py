"""Every public page's JSON-LD parses and validates against the schema.org types it uses."""

from __future__ import annotations

import pytest
from django.test import Client

from pamper.reviews.models import VenueRating
from pamper.venues.models import Venue

from .structured import is_a, jsonld_blocks, problems, types_in

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/treatments/", "/treatments/category/aesthetics/", "/treatments/mesotherapy/",
          "/venues/{soho}/", "/venues/{leeds}/", "/treatments/mesotherapy/in/london/",
          "/treatments/category/nails/in/leeds/", "/search/", "/search/?q=mesotherapy&near=London"]


def _rate(venue: Venue, avg: str, count: int) -> None:
    """The aggregates reviews.actions keeps (a test shortcut: the numbers the venue page prints)."""
    Venue.objects.filter(pk=venue.pk).update(rating_avg=avg, review_count=count)
    VenueRating.objects.create(venue=venue, avg=avg, count=count)


def _pages(world: dict[str, Venue]) -> list[str]:
    return [p.format(soho=world["Soho Skin"].slug, leeds=world["Leeds Nails"].slug) for p in PUBLIC]


def test_every_public_page_has_valid_json_ld(towns_world, client: Client) -> None:
    _rate(towns_world["Soho Skin"], "4.50", 12)
    used: set[str] = set()
    for path in _pages(towns_world):
        response = client.get(path)
        assert response.status_code == 200, path
        blocks = jsonld_blocks(response.content.decode())
        assert blocks, f"{path} has no JSON-LD"
        for block in blocks:
            assert problems(block) == [], (path, block.get("@type"))
            used |= types_in(block)
    # The types the issue asks for all occur somewhere.
    for wanted in ("MedicalClinic", "NailSalon", "PostalAddress", "GeoCoordinates", "OpeningHoursSpecification",
                   "AggregateRating", "Offer", "ItemList", "FAQPage", "BreadcrumbList", "Article", "AggregateOffer"):
        assert wanted in used, wanted


def test_the_venue_is_a_local_business_with_what_its_page_shows(towns_world, client: Client) -> None:
    soho = towns_world["Soho Skin"]
    _rate(soho, "4.50", 12)
    html = client.get(f"/venues/{soho.slug}/").content.decode()
    business = next(b for b in jsonld_blocks(html) if is_a(b["@type"], "LocalBusiness"))
    assert business["@type"] == "MedicalClinic"
    assert business["address"]["addressLocality"] == "London" and business["geo"]["latitude"] == 51.5136
    assert business["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": "4.5", "reviewCount": 12,
                                           "bestRating": 5, "worstRating": 1}
    assert "4.5" in html and "12 review" in html  # the rating marked up is the one shown
    assert business["priceRange"] == "£120–£180"
    assert {(o["itemOffered"]["name"], o["price"], o["priceCurrency"]) for o in business["makesOffer"]} == {
        ("Mesotherapy", "120.00", "GBP"), ("Anti-wrinkle injections", "180.00", "GBP")}
    assert len(business["openingHoursSpecification"]) == 7
    assert business["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Monday", "opens": "09:00",
        "closes": "18:00"}


def test_no_rating_is_marked_up_without_reviews_nor_on_a_list(towns_world, client: Client) -> None:
    camden = towns_world["Camden Clinic"]
    html = client.get(f"/venues/{camden.slug}/").content.decode()
    assert "No reviews yet" in html
    assert all("AggregateRating" not in types_in(b) for b in jsonld_blocks(html))
    _rate(towns_world["Soho Skin"], "4.50", 12)
    landing = client.get("/treatments/mesotherapy/in/london/").content.decode()
    assert all("AggregateRating" not in types_in(b) for b in jsonld_blocks(landing))


def test_the_landing_page_lists_the_venues_it_shows_and_its_real_price_range(towns_world, client: Client) -> None:
    html = client.get("/treatments/mesotherapy/in/london/").content.decode()
    blocks = {b["@type"]: b for b in jsonld_blocks(html)}
    listed = [item["name"] for item in blocks["ItemList"]["itemListElement"]]
    assert sorted(listed) == ["Brixton Beauty", "Camden Clinic", "Soho Skin"]
    assert blocks["Service"]["offers"] == {"@type": "AggregateOffer", "lowPrice": "90.00", "highPrice": "150.00",
                                           "priceCurrency": "GBP", "offerCount": 3}
    crumbs = [c["name"] for c in blocks["BreadcrumbList"]["itemListElement"]]
    assert crumbs == ["Home", "Treatments", "Mesotherapy", "Mesotherapy in London"]


def test_the_validator_catches_what_schema_org_does_not_allow() -> None:
    """The checks can fail: an unknown property, a wrong value type, a missing required property."""
    assert problems({"@context": "https://schema.org", "@type": "BeautySalon", "name": "X",
                     "address": {"@type": "PostalAddress", "streetAddress": "1 A St"}, "starRating": 5})
    assert problems({"@context": "https://schema.org", "@type": "BeautySalon", "name": "X",
                     "address": {"@type": "GeoCoordinates", "latitude": 1, "longitude": 2}})
    assert problems({"@context": "https://schema.org", "@type": "AggregateRating", "ratingValue": "4.5"})
    assert problems({"@context": "https://schema.org", "@type": "OpeningHoursSpecification",
                     "dayOfWeek": "Funday", "opens": "9am"})
    assert problems({"@context": "https://schema.org", "@type": "HairSalon"})

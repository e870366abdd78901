"""The sitemap index, its sections in every language with hreflang alternates and real lastmod; robots.txt."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from pamper.seo import sitemaps
from pamper.venues import actions as venue_actions
from pamper.venues.models import Service

from .conftest import SPOTS

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SITE = "http://127.0.0.1:8000"


def urls(client: Client, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content).findall("sm:url", NS)


def test_the_index_lists_the_sections(towns_world, client: Client) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [e.text for e in ET.fromstring(response.content).findall("sm:sitemap/sm:loc", NS)]
    assert [re.sub(r"^https?://[^/]+", "", loc) for loc in locations] == [
        "/sitemap-guides.xml", "/sitemap-venues.xml", "/sitemap-landing.xml", "/sitemap-categories.xml"]


def test_every_url_in_every_language_with_its_alternates(towns_world, client: Client) -> None:
    entries = urls(client, "/sitemap-landing.xml")
    locs = [e.find("sm:loc", NS).text for e in entries]
    assert f"{SITE}/treatments/mesotherapy/in/london/" in locs
    assert f"{SITE}/fr/treatments/mesotherapy/in/london/" in locs
    assert f"{SITE}/treatments/mesotherapy/in/leeds/" not in locs  # no page there
    languages = len(settings.LANGUAGES)
    pairs = {("mesotherapy", "london"), ("mesotherapy", "manchester"), ("mesotherapy", "paris"),
             ("anti-wrinkle-injections", "london"), ("microneedling", "london"), ("gel-manicure", "london"),
             ("gel-manicure", "leeds"), ("manicure", "leeds")}
    assert len(locs) == len(pairs) * languages
    first = entries[0]
    alternates = {a.get("hreflang"): a.get("href") for a in first.findall("xhtml:link", NS)}
    assert set(alternates) == {code for code, _ in settings.LANGUAGES} | {"x-default"}
    assert alternates["x-default"] == alternates["en"]
    venues = [e.find("sm:loc", NS).text for e in urls(client, "/sitemap-venues.xml")]
    assert len(venues) == len(SPOTS) * languages
    guides = [e.find("sm:loc", NS).text for e in urls(client, "/sitemap-guides.xml")]
    assert f"{SITE}/treatments/mesotherapy/" in guides and f"{SITE}/de/treatments/" in guides
    categories = [e.find("sm:loc", NS).text for e in urls(client, "/sitemap-categories.xml")]
    assert f"{SITE}/treatments/category/nails/in/leeds/" in categories


def test_lastmod_follows_real_changes(towns_world, client: Client) -> None:
    def lastmod(path: str, loc: str) -> str:
        for entry in urls(client, path):
            if entry.find("sm:loc", NS).text == loc:
                return entry.find("sm:lastmod", NS).text
        raise AssertionError(loc)

    soho = towns_world["Soho Skin"]
    venue_loc, landing_loc = f"{SITE}/venues/{soho.slug}/", f"{SITE}/treatments/mesotherapy/in/london/"
    before = lastmod("/sitemap-venues.xml", venue_loc)
    with time_machine.travel(dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC), tick=False):
        service = Service.objects.get(venue=soho, treatment__slug="mesotherapy")
        venue_actions.deactivate_service(service=service)
    assert before.startswith("2026-03-02")
    assert lastmod("/sitemap-venues.xml", venue_loc).startswith("2026-03-09")
    assert lastmod("/sitemap-landing.xml", landing_loc).startswith("2026-03-02")  # Soho no longer counts there
    assert lastmod("/sitemap-landing.xml", f"{SITE}/treatments/anti-wrinkle-injections/in/london/").startswith(
        "2026-03-09")


def test_sections_split_into_files_below_the_limit(towns_world, client: Client, monkeypatch) -> None:
    monkeypatch.setattr(sitemaps.LandingSitemap, "limit", 10)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    landing_files = [e.text for e in index.findall("sm:sitemap/sm:loc", NS) if "landing" in e.text]
    assert len(landing_files) == 6  # 8 pages x 7 languages = 56 URLs, 10 a file
    assert len(urls(client, "/sitemap-landing.xml?p=6")) == 6
    assert sitemaps.LIMIT < 50000


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    for private in ("/accounts/", "/account/", "/partner/", "/bookings/", "/venues/*/book/", "/api/", "/admin/",
                    "/fr/partner/", "/de/bookings/"):
        assert f"Disallow: {private}" in lines, private
    assert "Disallow: /treatments/" not in lines

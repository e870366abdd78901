"""Every public page has a canonical URL, a description from its data, Open Graph and Twitter card tags."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from pamper.gallery import actions as gallery_actions
from pamper.gallery.models import Role
from pamper.gallery.tests.test_photos import jpeg

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"  # settings.SITE_URL's default


def head(html: str) -> dict[str, str]:
    """name/property -> content of the <meta> tags, plus 'canonical' and 'robots' when present."""
    tags = {k: unescape(v) for k, v in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html)}
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    if canonical:
        tags["canonical"] = canonical.group(1)
    return tags


@pytest.mark.parametrize("path", ["/", "/treatments/", "/treatments/category/aesthetics/", "/treatments/mesotherapy/",
                                  "/venues/{soho}/", "/treatments/mesotherapy/in/london/",
                                  "/treatments/category/nails/in/leeds/", "/search/"])
def test_public_pages_carry_canonical_description_and_social_tags(towns_world, client: Client, path: str) -> None:
    path = path.format(soho=towns_world["Soho Skin"].slug)
    tags = head(client.get(path).content.decode())
    assert tags["canonical"] == SITE + path
    assert tags["og:url"] == SITE + path
    for name in ("description", "og:title", "og:description", "og:type", "twitter:card", "twitter:title"):
        assert tags.get(name), (path, name)
    assert len(tags["og:description"]) <= 160
    assert "robots" not in tags


def test_descriptions_are_written_from_the_page_data(towns_world, client: Client) -> None:
    landing = head(client.get("/treatments/mesotherapy/in/london/").content.decode())
    assert landing["og:title"] == "Mesotherapy in London"
    assert landing["description"] == landing["og:description"]
    assert landing["description"].startswith("Compare 3 venues offering Mesotherapy in London, from £90–£150")
    venue = head(client.get(f"/venues/{towns_world['Soho Skin'].slug}/").content.decode())
    written = "Clinic in London offering Anti-wrinkle injections, Mesotherapy (£120–£180)."
    assert venue["og:description"].startswith(written)
    assert venue["og:type"] == "business.business" and venue["twitter:card"] == "summary"


def test_search_results_are_noindex_and_point_at_the_search_page(towns_world, client: Client) -> None:
    tags = head(client.get("/search/?q=mesotherapy&near=London&price_max=130").content.decode())
    assert tags["robots"] == "noindex, follow"
    assert tags["canonical"] == SITE + "/search/"


def test_a_page_in_another_language_is_its_own_canonical(towns_world, client: Client) -> None:
    response = client.get("/fr/treatments/mesotherapy/in/london/")
    assert response.status_code == 200
    tags = head(response.content.decode())
    assert tags["canonical"] == SITE + "/fr/treatments/mesotherapy/in/london/"


def test_the_landing_page_shares_a_listed_venue_cover_photo(towns_world, client: Client) -> None:
    assert "og:image" not in head(client.get("/treatments/mesotherapy/in/manchester/").content.decode())
    venue = towns_world["Northern Quarter Skin"]
    photo = gallery_actions.add_photo(venue=venue, data=jpeg((1200, 800)), alt_text="The clinic", role=Role.COVER)
    tags = head(client.get("/treatments/mesotherapy/in/manchester/").content.decode())
    widest = photo.sources()["jpeg"][-1][0]
    assert tags["og:image"] == f"{SITE}/photos/{photo.pk}/{widest}.jpeg"
    assert tags["twitter:card"] == "summary_large_image"

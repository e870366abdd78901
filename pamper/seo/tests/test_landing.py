"""Landing pages: a treatment (or a category) in a town, from the real offers, ranked as search ranks them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from pamper.catalog.models import Treatment
from pamper.lib import clock
from pamper.search.params import SearchParams
from pamper.search.queries import find
from pamper.venues import actions as venue_actions
from pamper.venues.models import Service

from .structured import jsonld_blocks

pytestmark = pytest.mark.django_db


def names_listed(html: str) -> list[str]:
    return re.findall(r'<h3 class="search-venue"><a href="/venues/[^"]+/">([^<]+)</a>', html)


def test_treatment_in_town_shows_what_where_count_prices_and_the_search_order(towns_world, client: Client) -> None:
    response = client.get("/treatments/mesotherapy/in/london/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mesotherapy in London</h1>" in html
    assert "3 venues in London offer it on Pamper, from £90–£150." in html
    # The same venues in the same order as the search around London's centre.
    outcome = find(SearchParams(q="Mesotherapy", near="London", country="GB", radius_km=25), clock.now())
    assert names_listed(html) == [r.venue.name for r in outcome.results] != []
    assert "Paris Peau" not in html and "Northern Quarter Skin" not in names_listed(html)
    assert 'id="landing-map-data"' in html and '"markers"' in html
    assert "Read the full guide to Mesotherapy" in html and 'href="/treatments/mesotherapy/"' in html


def test_the_faq_is_answered_from_the_catalogue(towns_world, client: Client) -> None:
    html = client.get("/treatments/mesotherapy/in/london/").content.decode()
    keys = re.findall(r'data-faq="(\w+)"', html)
    assert keys == ["cost", "sessions", "downtime", "pain", "safety", "evidence"]
    meso = Treatment.objects.get(slug="mesotherapy")
    assert "3 venues in London offer Mesotherapy on Pamper, at £90 to £150." in html
    assert f"a course of {meso.course_sessions} sessions, at least {meso.course_interval_days} days apart" in html
    assert f"at least {meso.patch_test_lead_hours} hours before the treatment" in html
    assert "Does Mesotherapy hurt?" in html and "uncomfortable rather than painful" in meso.pain
    faq = next(b for b in jsonld_blocks(html) if b["@type"] == "FAQPage")
    assert faq["mainEntity"][0]["name"] == "How much does Mesotherapy cost in London?"


def test_no_page_for_a_town_without_the_treatment_or_an_unknown_town(towns_world, client: Client) -> None:
    assert client.get("/treatments/mesotherapy/in/leeds/").status_code == 404  # Leeds has nails only
    assert client.get("/treatments/mesotherapy/in/atlantis/").status_code == 404
    assert client.get("/treatments/no-such-thing/in/london/").status_code == 404
    assert client.get("/treatments/category/aesthetics/in/leeds/").status_code == 404
    assert client.post("/treatments/mesotherapy/in/london/").status_code == 405


def test_nearby_towns_and_related_treatments_are_linked(towns_world, client: Client) -> None:
    html = client.get("/treatments/mesotherapy/in/london/").content.decode()
    nearby = html.split('class="plain-list landing-nearby"')[1].split("</ul>")[0]
    assert 'href="/treatments/mesotherapy/in/manchester/"' in nearby
    assert "paris" in nearby  # further, but it offers mesotherapy too
    related = html.split('class="plain-list landing-related"')[1].split("</ul>")[0]
    # Microneedling is an alternative to mesotherapy in the catalogue: it comes first.
    assert related.index("microneedling") < related.index("anti-wrinkle-injections")
    assert 'href="/treatments/category/aesthetics/in/london/"' in html


def test_category_in_town(towns_world, client: Client) -> None:
    response = client.get("/treatments/category/nails/in/leeds/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nails in Leeds</h1>" in html
    assert "1 venue in Leeds offers it on Pamper, at £18–£25." in html
    assert names_listed(html) == ["Leeds Nails"]
    assert 'href="/treatments/gel-manicure/in/leeds/"' in html and 'href="/treatments/manicure/in/leeds/"' in html
    london = client.get("/treatments/category/nails/in/london/").content.decode()
    assert names_listed(london) == ["Brixton Beauty"] and 'href="/treatments/category/nails/in/leeds/"' in london


def test_a_venue_that_stops_offering_it_leaves_the_cached_page_at_once(towns_world, client: Client,
                                                                         django_capture_on_commit_callbacks) -> None:
    assert "Brixton Beauty" in names_listed(client.get("/treatments/mesotherapy/in/london/").content.decode())
    brixton = towns_world["Brixton Beauty"]
    service = Service.objects.get(venue=brixton, treatment__slug="mesotherapy")
    with django_capture_on_commit_callbacks(execute=True):
        venue_actions.deactivate_service(service=service)
    html = client.get("/treatments/mesotherapy/in/london/").content.decode()
    assert "Brixton Beauty" not in names_listed(html)
    assert "2 venues in London offer it on Pamper, from £120–£150." in html


def test_the_page_is_cached_until_something_on_it_changes(towns_world, client: Client,
                                                            django_assert_max_num_queries) -> None:
    client.get("/treatments/mesotherapy/in/london/")
    with django_assert_max_num_queries(2):  # the session and the treatment row; the rest comes from the cache
        again = client.get("/treatments/mesotherapy/in/london/")
    assert again.status_code == 200 and "Soho Skin" in again.content.decode()


def test_prices_come_from_the_offers(towns_world, client: Client, django_capture_on_commit_callbacks) -> None:
    soho = towns_world["Soho Skin"]
    service = Service.objects.get(venue=soho, treatment__slug="mesotherapy")
    client.get("/treatments/mesotherapy/in/london/")
    with django_capture_on_commit_callbacks(execute=True):
        venue_actions.save_service(venue=soho, service=service, treatment=service.treatment, name=service.name,
                                   price=Decimal("400"), duration_minutes=service.duration_minutes)
    assert "from £90–£400" in client.get("/treatments/mesotherapy/in/london/").content.decode()


def test_a_french_page_names_the_town_in_french(towns_world, client: Client) -> None:
    """The venues say 'London'; a French reader reads 'Londres' in the heading, the sentences and the questions,
    while the page still lists London's venues. Manchester has no French name of its own and keeps it."""
    html = client.get("/fr/treatments/mesotherapy/in/london/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert heading and "Londres" in heading.group(1) and "London" not in heading.group(1)
    assert "Soho Skin" in html and "Camden Clinic" in html
    assert "à Londres" in html and "à London" not in html
    english = client.get("/treatments/mesotherapy/in/london/").content.decode()
    assert "<h1>Mesotherapy in London</h1>" in english
    assert "Manchester" in client.get("/fr/treatments/mesotherapy/in/manchester/").content.decode()

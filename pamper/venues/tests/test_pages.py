"""The home page and the venue page, as a visitor reads them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache

from pamper.venues import actions

from . import factories as f

pytestmark = pytest.mark.django_db
# A Tuesday, 15:30 in London (BST): the test venue is open.
NOW = dt.datetime(2026, 6, 9, 14, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def salon():
    colour = f.treatment("hair-colour", category="hair", patch_test_lead_hours=48, name="Hair colour")
    cut = f.treatment("haircut", category="hair", name="Haircut")
    nails = f.treatment("gel-manicure", category="nails", name="Gel manicure")
    venue = f.venue("Studio Velvet", description="A bright salon in Islington.", phone="+44 20 7946 0123")
    services = {
        "colour": f.service(venue, colour, price="85", minutes=120),
        "patch": f.service(venue, colour, name="Patch test: Hair colour", kind="consultation", price="0", minutes=10),
        "cut": f.service(venue, cut, price="42.50", minutes=45),
        "nails": f.service(venue, nails, price="30", minutes=90, online_bookable=False),
    }
    f.staff(venue, "Isla Brown", title="Senior stylist",
            services=[services["colour"], services["patch"], services["cut"]])
    f.staff(venue, "Zara Khan", title="Nail technician", services=[services["nails"]])
    actions.set_opening_hours(venue=venue, hours=[(d, f.t(9), f.t(18)) for d in range(1, 6)])
    actions.add_closure(venue=venue, start_date=dt.date(2026, 12, 25), end_date=dt.date(2026, 12, 26),
                        reason="Christmas")
    actions.add_closure(venue=venue, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 1), reason="Long gone")
    return venue, services


def scripts_are_external(html: str) -> bool:
    """Every script that runs comes from a file; data blocks (JSON, JSON-LD) never run and CSP ignores them."""
    tags = re.findall(r"<script[^>]*>", html)
    return all('src="' in tag for tag in tags if not re.search(r'type="application/(ld\+)?json"', tag))


def test_home_has_a_what_and_where_search_form_with_locate_button(client):
    f.treatment("mesotherapy", category="aesthetics", consultation_required=True, patch_test_lead_hours=24,
                guide_what="What.", guide_how="How.")
    html = client.get("/").content.decode()
    form = re.search(r'<form[^>]*action="/search/"[^>]*>(.*?)</form>', html, re.S)
    assert form and 'method="get"' in form.group(0)
    for name in ("q", "near", "lat", "lng"):
        assert f'name="{name}"' in form.group(1)
    assert "data-home-locate" in form.group(1) and "Use my location" in form.group(1)
    assert "venues/home.js" in html and scripts_are_external(html)


def test_home_lists_popular_treatments_and_categories_linking_to_guides(client, salon):
    html = client.get("/").content.decode()
    assert 'href="/treatments/hair-colour/"' in html
    assert "offered at 1 venue" in html
    assert 'href="/treatments/category/hair/"' in html
    assert "The safe clinical pathway" in html
    assert "48 hours for hair colour" in html


@time_machine.travel(NOW, tick=False)
def test_venue_page_shows_services_prices_staff_hours_and_closures_ahead(client, salon):
    _venue, services = salon
    response = client.get("/venues/studio-velvet-london/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Studio Velvet</h1>" in html and "A bright salon in Islington." in html
    assert "£42.50" in html and "£85" in html and "2 hr" in html and "45 min" in html
    assert "Free" in html  # the patch test
    assert "Needs a patch test at least 48 hours before." in html
    assert "Senior stylist" in html and "Nail technician" in html
    assert "British Time (BST now)" in html and "Europe/London" not in html
    assert re.search(r"Tuesday.*?09:00–18:00", html, re.S)
    assert re.search(r"Sunday.*?Closed", html, re.S)
    assert "Open now" in html
    assert "Christmas" in html and "Long gone" not in html
    assert f'href="/venues/studio-velvet-london/book/?service={services["cut"].id}"' in html
    assert f'/book/?service={services["nails"].id}"' not in html and "Book by phone" in html
    assert 'data-lat="51.500000"' in html and 'data-lng="-0.120000"' in html
    assert "tel:+442079460123" in html
    assert scripts_are_external(html) and "vendor/leaflet/leaflet.js" in html


def test_services_are_grouped_by_category(client, salon):
    html = client.get("/venues/studio-velvet-london/").content.decode()
    hair, nails, consult = html.index('id="services-hair"'), html.index('id="services-nails"'), html.index(
        'id="services-consultations"')
    # Searched from each heading on: the page's JSON-LD in <head> names the services too.
    assert hair < html.index("Haircut", hair) < nails < html.index("Gel manicure", nails) < consult


def test_euro_venue_shows_euros_and_its_own_zone(client):
    venue = f.venue("Salon Lavanda", country="ES", city="Madrid")
    f.service(venue, f.treatment(), price="22.5")
    html = client.get(venue.get_absolute_url()).content.decode()
    assert "€22.50" in html and "Central European Time" in html and "Europe/Madrid" not in html


def test_unpublished_or_unknown_venue_is_a_404(client, salon):
    venue, _ = salon
    actions.set_venue_published(venue=venue, published=False)
    response = client.get("/venues/studio-velvet-london/")
    assert response.status_code == 404 and "Studio Velvet" not in response.content.decode()
    assert client.get("/venues/no-such-place/").status_code == 404
    assert client.get("/venues/%00/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_venue_map_starts_from_data_attributes_and_home_locate_fills_the_form(live_server, page, salon):
    venue, _ = salon
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + venue.get_absolute_url())
    page.wait_for_selector("[data-venue-map].leaflet-container", state="visible")
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert page.get_by_role("heading", name="Isla Brown").is_visible()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 51.5412, "longitude": -0.1025})
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    assert page.locator("input[name=lat]").input_value() == "51.54120"
    assert page.locator("input[name=lng]").input_value() == "-0.10250"
    assert not page.locator("input[name=lat]").is_disabled()
    assert errors == []

"""Issue 18, point 10: the venue page's map marker is a real image (Leaflet told where its images are), on a
desktop and a 390 px phone. Map tiles come from the network and are not needed: the marker is ours."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pamper.bookings.tests import helpers as h
from pamper.tests.browser import DESKTOP, PHONE, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_venue_map_marker_image_loads(live_server, page):
    shop = h.shop()
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())  # no network in tests
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/venues/{shop.venue.slug}/")
        # With hashed static names (make run) Leaflet's CSS-based lookup fails: the page must name the folder.
        assert page.locator("script[src*='leaflet-icons'][data-images]").count() == 1
        marker = page.locator(".leaflet-marker-icon").first
        expect(marker).to_be_visible()
        assert "/static/vendor/leaflet/images/marker-icon" in (marker.get_attribute("src") or "")
        page.wait_for_function("() => { const m = document.querySelector('.leaflet-marker-icon');"
                               " return m && m.complete && m.naturalWidth > 0; }")
        screenshot(page, f"venue-map-marker-{name}")

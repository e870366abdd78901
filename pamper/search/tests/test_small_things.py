"""Issue 18, point 10: the search page reads as people speak (round miles, one "near", one variant label)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("london")


def test_uk_radius_reads_in_whole_miles(client):
    html = client.get("/search/", {"q": "mesotherapy", "near": "London"}).content.decode()
    assert "within 6 mi" in html and "6.2 mi" not in html


def test_a_search_from_coordinates_says_near_once(client):
    html = client.get("/search/", {"q": "mesotherapy", "lat": "51.5136", "lng": "-0.1365"}).content.decode()
    assert "near near" not in html
    assert "</strong> near Soho, within" in html


def test_a_variant_in_the_service_name_is_not_repeated(client):
    html = client.get("/search/", {"q": "mesotherapy", "near": "London"}).content.decode()
    assert "Needle-free mesotherapy" in html
    assert '<li>Needle-free mesotherapy · ' in html  # no "needle-free" badge after a name that says it

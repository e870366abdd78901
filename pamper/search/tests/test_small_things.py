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


def test_uk_distances_are_offered_nearest_first_and_wider_searches_in_round_miles(client):
    """The default 10 km was listed first as 'within 6 mi', before 1, 3 and 5 mi; with nothing found, the wider
    searches offered were 25, 50 and 100 km written as '16 mi', '31 mi' and '62 mi'."""
    import re

    html = client.get("/search/", {"q": "mesotherapy", "near": "London"}).content.decode()
    select = html[html.index('name="radius_km"'):]
    labels = re.findall(r"<option[^>]*>within ([0-9]+) mi</option>", select[:select.index("</select>")])
    assert [int(n) for n in labels] == sorted(int(n) for n in labels) and "6" in labels, labels
    empty = client.get("/search/", {"q": "mesotherapy", "near": "London", "price_max": "1"}).content.decode()
    assert re.findall(r"Search within ([0-9]+ mi)", empty) == ["15 mi", "30 mi", "60 mi"], empty[-3000:]
    paris = client.get("/search/", {"q": "mesotherapy", "near": "Paris", "price_max": "1"}).content.decode()
    assert re.findall(r"Search within ([0-9]+ km)", paris) == ["25 km", "50 km", "100 km"]

"""The search page: results, units, states a person can act on, and the htmx partial."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.usefixtures("london")


def page(client, status=200, **params):
    response = client.get("/search/", params)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_the_page_says_what_it_understood_and_lists_the_venues(client):
    html = page(client, q="mesotherepy", near="London")
    assert "Showing Mesotherapy for &#x27;mesotherepy&#x27;" in html
    for name in ("Soho Skin", "Camden Clinic", "Brixton Beauty", "Greenwich Glow"):
        assert name in html
    assert "Far Away" not in html and "Botox Only" not in html
    assert 'href="/venues/' in html


def test_uk_searches_read_in_miles_and_others_in_kilometres(client):
    london = page(client, q="mesotherapy", near="London", sort="distance")
    assert re.search(r'class="search-distance">0\.\d mi<', london)
    assert "within 6 mi" in london  # whole miles (issue 18, point 10)
    paris = page(client, q="mesotherapy", near="Paris, France")
    assert re.search(r'class="search-distance">\d+\.\d km<', paris)
    assert "Paris Peau" in paris


def test_the_map_gets_a_marker_per_result_without_inline_script(client):
    html = page(client, q="mesotherapy", near="London")
    data = json.loads(re.search(r'<script id="search-map-data" type="application/json">(.*?)</script>', html).group(1))
    assert len(data["markers"]) == 4 and data["center"][0] == pytest.approx(51.5, abs=0.1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", html)
    assert scripts == []  # the Content-Security-Policy allows no inline script
    assert 'id="search-map"' in html and "search/search.js" in html


def test_filters_and_sort_update_the_list_with_htmx_and_push_the_url(client):
    html = page(client, q="mesotherapy", near="London")
    form = re.search(r'<form id="search-form".*?>', html, re.S).group(0)
    assert 'hx-get="/search/"' in form and 'hx-push-url="true"' in form and 'hx-target="#search-results"' in form
    partial = client.get("/search/", {"q": "mesotherapy", "near": "London", "price_max": "130"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body
    assert "Soho Skin" in body and "Brixton Beauty" in body and "Greenwich Glow" not in body


def test_text_that_matches_nothing_offers_suggestions(client):
    html = page(client, status=422, q="xyzzy qwerty", near="London")
    assert "We could not match" in html and "Did you mean" in html
    assert 'href="/search/?' in html


def test_an_unknown_place_offers_the_near_miss(client):
    html = page(client, status=422, q="mesotherapy", near="Lodnon")
    assert "We could not find a place called" in html
    assert "London, United Kingdom" in html


def test_no_results_says_so_and_offers_a_wider_search(client):
    html = page(client, q="mesotherapy", near="London", radius_km="2", kind="spa")
    assert "No venues match these filters for Mesotherapy" in html
    assert "Remove the filters" in html and "Search within" in html


def test_the_page_without_a_search_invites_one(client):
    html = page(client)
    assert "What are you looking for?" in html


def test_bad_parameters_are_a_400_with_a_message(client):
    html = page(client, status=400, q="mesotherapy", near="London", radius_km="5000")
    assert "Please check the search" in html and "radius_km" in html


def test_next_page_link_keeps_the_search(client):
    html = page(client, q="mesotherapy", near="London", limit="2")
    link = re.search(r'href="(/search/\?[^"]*cursor=[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "q=mesotherapy" in link and "near=London" in link
    second = client.get(link).content.decode()
    assert ">Previous<" in second and "page 2 of 2" in second


def test_a_variant_asked_for_is_marked_on_the_venues_offering_it(client):
    html = page(client, q="needle free mesotherapy", near="London")
    assert "needle-free preferred" in html
    assert html.count("Offers needle-free") == 1
    assert html.index("Camden Clinic") < html.index("Soho Skin")


@pytest.mark.parametrize(("prefix", "near", "said"), [
    ("/fr", "London", "près de Londres, Royaume-Uni"),  # the language's own name for the town (CLDR)
    ("/fr", "londres", "près de Londres, Royaume-Uni"),
    ("/it", "London", "vicino a Londra, Regno Unito"),
    ("/de", "London", "London, Vereinigtes Königreich"),  # German keeps London
    ("/nl", "Londen", "Londen, Verenigd Koninkrijk"),
    ("/de", "londra", "Londra, Vereinigtes Königreich"),  # no German name known: the name the visitor typed
    ("", "Londres", "near London, United Kingdom"),  # English pages keep the index's English names
])
def test_the_town_reads_in_the_pages_language(client, prefix, near, said):
    response = client.get(f"{prefix}/search/", {"q": "mesotherapy", "near": near})
    assert response.status_code == 200, response.content[:500]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert said in text
    assert "Soho Skin" in text

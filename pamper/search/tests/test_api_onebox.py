"""GET /api/v1/search reads one box, groups and places alone, and says what it understood (issue 15)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("london")


def get(client, language="en", **params):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/search", params, HTTP_ACCEPT_LANGUAGE=language)


def test_treatment_and_place_in_q_are_split(client):
    response = get(client, q="mesotherapy london")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["understood"]["what"] == "mesotherapy" and body["understood"]["where"] == "london"
    assert body["place"]["country"] == "GB" and body["treatment"]["slug"] == "mesotherapy"
    assert [r["venue"]["name"] for r in body["results"]][:1] == ["Soho Skin"]


def test_a_french_one_box_search(client):
    body = get(client, "fr", q="mésothérapie à Paris").json()
    assert body["understood"]["where"] == "Paris" and body["place"]["country"] == "FR"
    assert [r["venue"]["name"] for r in body["results"]] == ["Paris Peau"]


def test_a_treatment_with_no_place_says_what_it_understood(client):
    response = get(client, q="mesotherapy")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "place_needed" and body["message"]
    assert body["understood"]["treatment"]["slug"] == "mesotherapy" and body["understood"]["place"] is None
    assert get(client, q="cellulite").json()["understood"]["treatment"] is not None


def test_near_me_asks_for_coordinates(client):
    body = get(client, q="botox near me").json()
    assert body["code"] == "place_needed" and body["understood"]["near_me"] is True
    assert body["understood"]["treatment"]["slug"] == "anti-wrinkle-injections"


def test_a_group_word_searches_all_its_treatments_one_row_per_venue(client):
    body = get(client, q="aesthetics", near="London").json()
    assert body["treatment"] is None
    group = body["understood"]["group"]
    assert group["slug"] == "aesthetics" and {"mesotherapy", "anti-wrinkle-injections"} <= {
        t["slug"] for t in group["treatments"]}
    venues = [r["venue"]["name"] for r in body["results"]]
    assert "Botox Only" in venues and "Soho Skin" in venues
    assert len(venues) == len(set(venues))
    soho = next(r for r in body["results"] if r["venue"]["name"] == "Soho Skin")
    assert len(soho["services"]) == 2  # its mesotherapy and its anti-wrinkle service, merged


def test_a_place_alone_lists_every_kind_of_venue(client):
    body = get(client, near="London").json()
    assert body["understood"]["everything"] is True
    assert "Botox Only" in [r["venue"]["name"] for r in body["results"]]
    body = get(client, q="London").json()
    assert body["understood"]["where"] == "London" and body["results"]


def test_a_postcode_in_the_box(client):
    body = get(client, q="mesotherapy SW1A 1AA", radius_km=25).json()
    assert body["place"]["name"] == "London" and body["results"]


def test_a_group_search_pages_with_a_cursor_bound_to_its_treatments(client):
    first = get(client, q="aesthetics", near="London", limit=2).json()
    assert first["next_cursor"]
    second = get(client, q="aesthetics", near="London", limit=2, cursor=first["next_cursor"])
    assert second.status_code == 200
    other = get(client, q="mesotherapy", near="London", limit=2, cursor=first["next_cursor"])
    assert other.status_code == 400


def test_nothing_at_all_is_a_clean_422(client):
    response = get(client, q="")
    assert response.status_code == 422 and response.json()["code"] == "invalid"

"""Autocomplete for what and where: GET /api/v1/suggest (issue 15)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def get(client, language="en", **params):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/suggest", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_group_word_comes_first_then_treatments(client, catalogue):
    items = get(client, q="nai")
    assert items[0]["kind"] == "group" and items[0]["slug"] == "nails"
    assert any(i["kind"] == "treatment" for i in items)


def test_treatments_are_suggested_in_the_visitors_language(client, catalogue):
    items = get(client, "de", q="wimpernver")
    assert items[0]["slug"] == "lash-extensions"
    assert items[0]["value"].casefold().startswith("wimpernver")


def test_a_typo_still_suggests(client, catalogue):
    assert "mesotherapy" in [i["slug"] for i in get(client, q="mesotherepy")]


def test_places_suggest_served_towns_first(client):
    items = get(client, q="Valen", kind="where")
    assert items[0]["country"] == "ES" and items[0]["label"].startswith("Valencia")


def test_a_postcode_suggests_its_town(client):
    items = get(client, q="SW1A 1AA", kind="where")
    assert items[0]["label"].startswith("London") and items[0]["value"] == "SW1A 1AA"


def test_bad_input_is_a_clean_422(client):
    assert client.get("/api/v1/suggest", {"q": "x", "kind": "when"}).status_code == 422
    assert client.get("/api/v1/suggest", {"q": ""}).status_code == 422
    assert client.get("/api/v1/suggest", {"q": "x" * 101}).status_code == 422

"""A new install before its catalogue is loaded: a search for every treatment near a place has no treatment to
search. It answered 500 (found by the API fuzz test); it is a clear 422 on the API and the page."""

from __future__ import annotations

import pytest

from pamper.search import understand

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params", [{"lat": "51.5136", "lng": "-0.1365"}, {"near": "London"}, {"q": "London"}])
def test_a_place_only_search_with_no_treatments_listed_is_a_clear_answer(client, params):
    understand.reset()
    api = client.get("/api/v1/search", params)
    assert api.status_code == 422, api.content[:300]
    assert api.json()["code"] == "treatment_not_found"
    page = client.get("/search/", params)
    assert page.status_code == 422
    assert "No treatments are listed yet." in page.content.decode()

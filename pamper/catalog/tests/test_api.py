"""GET /api/v1/treatments and /api/v1/treatments/{slug}: shapes, matching and bad input."""

from __future__ import annotations

import pytest

import pamper.api  # noqa: F401  (mounts every router first, as the URLconf does)
from pamper.catalog.api import find_treatments, normalise
from pamper.catalog.models import Treatment

pytestmark = pytest.mark.usefixtures("catalogue")

LIST_KEYS = {"slug", "name", "category", "summary", "has_guide", "consultation_required", "patch_test_lead_hours",
             "url"}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()]


def test_list_returns_every_treatment_with_summary_fields(client):
    response = client.get("/api/v1/treatments")
    rows = response.json()
    assert response.status_code == 200
    assert len(rows) == Treatment.objects.count()
    assert all(set(row) == LIST_KEYS for row in rows)
    meso = next(row for row in rows if row["slug"] == "mesotherapy")
    assert meso["category"] == {"slug": "aesthetics", "name": "Aesthetics and medical"}
    assert meso["has_guide"] is True and meso["consultation_required"] is True
    assert meso["patch_test_lead_hours"] == 24
    assert meso["url"] == "/treatments/mesotherapy/"


@pytest.mark.parametrize(("q", "expected_first"), [
    ("mesotherapy", "mesotherapy"),
    ("MÉSOTHÉRAPIE", "mesotherapy"),
    ("needle-free mesotherapy", "mesotherapy"),
    ("needle free mesotherapy", "mesotherapy"),
    ("mesolift", "mesotherapy"),
    ("gel nails", "gel-manicure"),
    ("Shellac", "gel-manicure"),
    ("balayage", "balayage"),
    ("brazilian wax", "brazilian-wax"),
    ("brazilian", "brazilian-wax"),
    ("botox", "anti-wrinkle-injections"),
    ("  Lash   lift ", "lash-lift"),
])
def test_q_matches_names_and_synonyms_ignoring_case_accents_and_spacing(client, q, expected_first):
    assert slugs(client.get("/api/v1/treatments", {"q": q}))[0] == expected_first


def test_q_matches_conditions(client):
    found = slugs(client.get("/api/v1/treatments", {"q": "cellulite"}))
    assert "mesotherapy" in found and "endermologie" in found
    assert "haircut" not in found


def test_q_that_matches_nothing_is_an_empty_list(client):
    assert slugs(client.get("/api/v1/treatments", {"q": "zzzz qqqq"})) == []


def test_category_filters_and_combines_with_q(client):
    waxing = slugs(client.get("/api/v1/treatments", {"category": "hair-removal"}))
    assert set(waxing) == set(Treatment.objects.filter(category__slug="hair-removal").values_list("slug", flat=True))
    assert slugs(client.get("/api/v1/treatments", {"category": "hair-removal", "q": "botox"})) == []
    assert slugs(client.get("/api/v1/treatments", {"category": "hair", "q": "balayage"}))[0] == "balayage"


@pytest.mark.parametrize("params", [
    {"category": "no-such-category"},
    {"q": "x" * 101},
    {"category": "y" * 61},
])
def test_bad_list_parameters_are_422_with_the_error_shape(client, params):
    response = client.get("/api/v1/treatments", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"]


def test_detail_carries_structured_data_safety_price_and_guide(client):
    response = client.get("/api/v1/treatments/mesotherapy")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Mesotherapy"
    assert body["consultation_required"] is True
    assert (body["patch_test_lead_hours"], body["patch_test_validity_days"]) == (24, 180)
    assert body["variants"] == ["needle-free"]
    assert "cellulite" in body["conditions"] and "no needles" in body["synonyms"]
    assert body["session_minutes"] == 20 and body["course_sessions"] == 6
    assert body["typical_price"] == {"min": "75.00", "max": "350.00", "currency": "GBP"}
    pregnancy = next(c for c in body["contraindications"] if c["slug"] == "pregnancy")
    assert set(pregnancy) == {"slug", "label", "question"} and pregnancy["question"].endswith("?")
    assert {"slug": "microneedling", "name": "Microneedling"} in body["alternatives"]
    assert set(body["guide"]) == {"what", "how", "for_me", "good_to_know", "aftercare"}
    assert "Dr Michel Pistor" in body["guide"]["what"]
    assert "4-6 mm" in body["guide"]["how"]
    assert "no solid scientific or medical evidence" in body["evidence"]


def test_detail_of_a_treatment_without_a_guide_has_null_guide(client):
    body = client.get("/api/v1/treatments/haircut").json()
    assert body["guide"] is None
    assert body["has_guide"] is False
    assert body["patch_test_lead_hours"] is None and body["patch_test_validity_days"] is None
    assert body["typical_price"]["currency"] == "GBP"


@pytest.mark.parametrize("slug", ["no-such-treatment", "MESOTHERAPY", "a" * 300, "%C3%A9t%C3%A9", "..%2F..%2Fetc"])
def test_unknown_slug_is_404_with_the_error_shape(client, slug):
    response = client.get(f"/api/v1/treatments/{slug}")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["message"]


def test_writing_methods_are_refused_and_change_nothing(client):
    before = Treatment.objects.count()
    response = client.post("/api/v1/treatments", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert client.delete("/api/v1/treatments/mesotherapy").status_code == 405
    assert Treatment.objects.count() == before


def test_openapi_documents_both_routes_with_typed_schemas(client):
    spec = client.get("/api/v1/openapi.json").json()
    listing = spec["paths"]["/api/v1/treatments"]["get"]
    detail = spec["paths"]["/api/v1/treatments/{slug}"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"q", "category"}
    assert "422" in listing["responses"] and "404" in detail["responses"]
    schema = spec["components"]["schemas"]["TreatmentDetailOut"]
    assert {"typical_price", "guide", "contraindications", "alternatives", "patch_test_validity_days"} <= set(
        schema["properties"])


def test_normalise_and_match_without_a_database():
    assert normalise("  Mésothérapie  Needle-FREE ") == "mesotherapie needle free"
    a = Treatment(slug="a", name="Alpha peel", synonyms=["glow"], conditions=["dull skin"])
    b = Treatment(slug="b", name="Glow facial", synonyms=[], conditions=[])
    assert find_treatments("glow", [a, b]) == [a, b]  # a synonym equal to the query ranks first
    assert find_treatments("dull", [a, b]) == [a]
    assert find_treatments("", [a, b]) == [a, b]

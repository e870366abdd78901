"""GET /api/v1/venues/{id} and /venues/by-slug/{slug}: what a client sees, bad ids, query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pamper.venues import actions

from . import factories as f

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clinic():
    meso = f.treatment("mesotherapy", category="aesthetics", consultation_required=True, patch_test_lead_hours=24,
                       variants=["needle-free"], price_from=150, price_to=300, session_minutes=20)
    venue = f.venue("Test Clinic", kind="clinic")
    needle = f.service(venue, meso, price="180", minutes=30, buffer_after=10)
    free = f.service(venue, meso, name="Mesotherapy (needle-free)", variant="needle-free", price="150.5", minutes=30)
    consult = f.service(venue, meso, name="Consultation and patch test: Mesotherapy", kind="consultation", price="0",
                        minutes=30)
    retired = f.service(venue, meso, name="Old offer", price="99", is_active=False)
    doctor = f.staff(venue, "Dr Ada Test", title="Aesthetic doctor", services=[needle, free, consult, retired])
    nurse = f.staff(venue, "Ben Nurse", title="Nurse", services=[free])
    f.staff(venue, "Gone Away", services=[needle], is_active=False)
    actions.set_opening_hours(venue=venue, hours=[(0, f.t(9), f.t(13)), (0, f.t(14), f.t(18)), (5, f.t(10), f.t(14))])
    actions.add_closure(venue=venue, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 2), reason="Past")
    actions.add_closure(venue=venue, start_date=dt.date(2026, 12, 25), end_date=dt.date(2026, 12, 26),
                        reason="Christmas")
    return {"venue": venue, "needle": needle, "free": free, "consult": consult, "doctor": doctor, "nurse": nurse}


@time_machine.travel(NOW, tick=False)
def test_venue_by_id_has_services_staff_hours_and_closures_ahead(client, clinic):
    venue = clinic["venue"]
    body = client.get(f"/api/v1/venues/{venue.id}").json()

    assert body["name"] == "Test Clinic" and body["timezone"] == "Europe/London" and body["currency"] == "GBP"
    assert body["lat"] == 51.5 and body["lng"] == -0.12 and body["url"] == "/venues/test-clinic-london/"
    services = {s["name"]: s for s in body["services"]}
    assert set(services) == {"Mesotherapy", "Mesotherapy (needle-free)", "Consultation and patch test: Mesotherapy"}
    free = services["Mesotherapy (needle-free)"]
    assert free["price"] == "150.50" and free["currency"] == "GBP" and free["variant"] == "needle-free"
    assert free["treatment"] == "mesotherapy" and free["duration_minutes"] == 30
    assert sorted(free["staff"]) == sorted([clinic["doctor"].id, clinic["nurse"].id])
    assert services["Mesotherapy"]["buffer_after"] == 10 and services["Mesotherapy"]["staff"] == [clinic["doctor"].id]
    assert services["Consultation and patch test: Mesotherapy"]["kind"] == "consultation"
    assert services["Consultation and patch test: Mesotherapy"]["price"] == "0.00"
    staff = {s["name"]: s for s in body["staff"]}
    assert set(staff) == {"Dr Ada Test", "Ben Nurse"}  # inactive staff are not shown
    assert staff["Ben Nurse"]["services"] == [clinic["free"].id]
    assert staff["Dr Ada Test"]["title"] == "Aesthetic doctor"
    assert body["opening_hours"] == [
        {"weekday": 0, "day": "Monday", "opens": "09:00", "closes": "13:00"},
        {"weekday": 0, "day": "Monday", "opens": "14:00", "closes": "18:00"},
        {"weekday": 5, "day": "Saturday", "opens": "10:00", "closes": "14:00"},
    ]
    assert body["closures"] == [{"start_date": "2026-12-25", "end_date": "2026-12-26", "reason": "Christmas"}]


def test_by_slug_returns_the_same_venue(client, clinic):
    venue = clinic["venue"]
    by_id = client.get(f"/api/v1/venues/{venue.id}").json()
    assert client.get(f"/api/v1/venues/by-slug/{venue.slug}").json() == by_id


def test_unpublished_venue_is_a_404_with_the_error_shape(client, clinic):
    venue = actions.set_venue_published(venue=clinic["venue"], published=False)
    for path in (f"/api/v1/venues/{venue.id}", f"/api/v1/venues/by-slug/{venue.slug}"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert "Test Clinic" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/venues/abc", 422),
        ("/api/v1/venues/-1", 422),
        ("/api/v1/venues/0", 422),
        ("/api/v1/venues/1.5", 422),
        ("/api/v1/venues/99999999999999999999999999999", 422),
        ("/api/v1/venues/9223372036854775807", 404),
        ("/api/v1/venues/424242", 404),
        ("/api/v1/venues/by-slug/no-such-venue", 404),
        ("/api/v1/venues/by-slug/%00nul", 422),
        ("/api/v1/venues/by-slug/" + "x" * 300, 422),
        ("/api/v1/venues/by-slug/caf%C3%A9", 422),
    ],
)
def test_bad_or_unknown_ids_answer_4xx_with_the_error_shape(client, clinic, path, status):
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert body["code"] == ("not_found" if status == 404 else "invalid")


def test_query_count_does_not_grow_with_the_venue(client, clinic, django_assert_max_num_queries):
    venue = clinic["venue"]
    extra = f.treatment("facial", category="face")
    for i in range(15):
        service = f.service(venue, extra, name=f"Facial {i}")
        f.staff(venue, f"Therapist {i}", services=[service])
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/venues/{venue.id}")
    assert len(response.json()["services"]) == 18


def test_openapi_documents_the_venue_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/venues/{venue_id}" in schema["paths"]
    venue = schema["components"]["schemas"]["VenueDetailOut"]["properties"]
    assert {"services", "staff", "opening_hours", "closures", "timezone", "currency"} <= set(venue)


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_the_venue_page_reads_as_many_rows_whatever_its_menu(client, clinic, prefix):
    """The page leaves the treatments' guide text unread (Treatment.GUIDE_TEXT): nothing on it may then read a
    treatment again, one query each, in English or in German (whose names come from `translations`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    venue = clinic["venue"]
    url = f"{prefix}/venues/{venue.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for i in range(12):
        service = f.service(venue, f.treatment(f"extra-{i}", category="face"), name=f"Extra {i}")
        f.staff(venue, f"Therapist {i}", services=[service])
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "Extra 11" in page
    assert len(after.captured_queries) == len(before.captured_queries), [q["sql"][:90] for q in after.captured_queries]

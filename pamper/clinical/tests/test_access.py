"""Only the customer and the treating venue's clinical staff see health records; every read is logged."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from pamper.clinical.models import AccessLog

from .conftest import NOW, World
from .planting import SECRETS, Planted, plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(world: World) -> Planted:
    return plant(world, NOW)


def record_urls(world: World, p: Planted) -> dict[str, list[str]]:
    """Every URL that shows one clinical record or photo, by who may open it."""
    v, c = world.venue.pk, p.client.pk
    return {
        "staff": [
            f"/api/v1/clinical/venues/{v}/clients/{c}",
            f"/partner/clinical/{v}/clients/{c}/",
            f"/partner/clinical/{v}/photos/{p.photo.pk}/",
            f"/partner/clinical/{v}/",
            f"/api/v1/clinical/photos/{p.photo.pk}",
        ],
        "customer": [
            f"/account/health/photos/{p.photo.pk}/",
            f"/account/health/courses/{p.course.pk}/compare/",
            f"/account/health/checkins/{p.session.pk}/",
            f"/api/v1/me/health/courses/{p.course.pk}/next",
            f"/api/v1/clinical/photos/{p.photo.pk}",
        ],
        "owner": [f"/partner/clinical/{v}/access-log/", f"/api/v1/clinical/venues/{v}/access-log"],
    }


def as_(world: World, who: str | None, url: str) -> HttpClient:
    if who is None:
        return HttpClient()
    return world.api(who) if url.startswith("/api/") else world.browser(who)


def assert_hidden(response, p: Planted) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 404, (response.status_code, response.request["PATH_INFO"])
    body = response.content
    for secret in SECRETS.values():
        assert secret.encode() not in body
    assert p.photo_plain[200:260] not in body


@pytest.mark.parametrize("who", ["outsider", "reception", "other_customer", None])
def test_everyone_else_gets_404_and_none_of_the_data(world: World, planted: Planted, who: str | None) -> None:
    urls = record_urls(world, planted)
    before = AccessLog.objects.count()
    for url in {*urls["staff"], *urls["customer"], *urls["owner"]}:
        assert_hidden(as_(world, who, url).get(url), planted)
    assert AccessLog.objects.count() == before  # refused reads are not reads


def test_customer_cannot_act_on_another_customers_photo(world: World, planted: Planted) -> None:
    api = world.api("other_customer")
    url = f"/api/v1/me/health/photos/{planted.photo.pk}"
    assert_hidden(api.patch(url, data='{"use": "marketing"}', content_type="application/json"), planted)
    assert_hidden(api.delete(url), planted)
    assert_hidden(api.post(f"/api/v1/me/health/checkins/{planted.session.pk}", data='{"side_effect": false}',
                           content_type="application/json"), planted)
    planted.photo.refresh_from_db()
    assert planted.photo.use == "clinical"


def test_reception_and_other_venues_cannot_write_clinical_records(world: World, planted: Planted) -> None:
    v, c = world.venue.pk, planted.client.pk
    for who in ("reception", "outsider"):
        api = world.api(who)
        assert api.post(f"/api/v1/clinical/venues/{v}/patch-tests", data="{}", content_type="application/json"
                        ).status_code in (404, 422)
        body = {"treatment_id": world.meso.pk, "client_id": c, "outcome": "reaction",
                "read_at": "2026-03-02T07:00:00+00:00", "applied_at": "2026-03-01T07:00:00+00:00"}
        response = api.post(f"/api/v1/clinical/venues/{v}/patch-tests", data=json.dumps(body),
                            content_type="application/json")
        assert response.status_code == 404
        assert world.browser(who).post(f"/partner/clinical/{v}/clients/{c}/session/",
                                       {"treatment": world.meso.pk}).status_code == 404


@pytest.mark.parametrize("who", ["owner", "manager", "practitioner"])
def test_clinical_staff_read_and_each_read_is_logged(world: World, planted: Planted, who: str) -> None:
    for url in record_urls(world, planted)["staff"]:
        before = AccessLog.objects.filter(user=getattr(world, who)).count()
        response = as_(world, who, url).get(url)
        assert response.status_code == 200, url
        assert AccessLog.objects.filter(user=getattr(world, who), venue=world.venue).count() == before + 1, url
    page = world.browser(who).get(f"/partner/clinical/{world.venue.pk}/clients/{planted.client.pk}/")
    for key in ("answer", "patch_note", "session_note", "checkin"):
        assert SECRETS[key] in page.content.decode()


def test_the_customer_reads_their_own_records_and_each_read_is_logged(world: World, planted: Planted) -> None:
    for url in [*record_urls(world, planted)["customer"], "/account/health/", "/api/v1/me/health"]:
        before = AccessLog.objects.filter(user=world.customer, client=planted.client).count()
        assert as_(world, "customer", url).get(url).status_code == 200, url
        assert AccessLog.objects.filter(user=world.customer, client=planted.client).count() == before + 1, url


def test_only_the_owner_sees_the_access_log_and_it_names_who_read_what(world: World, planted: Planted) -> None:
    world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/clients/{planted.client.pk}/")
    for who in ("manager", "practitioner"):
        assert world.browser(who).get(f"/partner/clinical/{world.venue.pk}/access-log/").status_code == 404
    page = world.browser("owner").get(f"/partner/clinical/{world.venue.pk}/access-log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "practitioner@example.com" in text and "the clinical record" in text
    rows = world.api("owner").get(f"/api/v1/clinical/venues/{world.venue.pk}/access-log").json()["items"]
    assert any(r["user"] == "practitioner@example.com" and r["record_type"] == "client_record" for r in rows)


def test_the_customer_sees_which_staff_read_their_record(world: World, planted: Planted) -> None:
    world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/clients/{planted.client.pk}/")
    page = world.browser("customer").get("/account/health/").content.decode()
    assert "Practitioner" in page and "the clinical record" in page

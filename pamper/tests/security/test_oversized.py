"""Oversized input is refused with a 4xx and changes nothing: huge bodies, huge fields, too many fields."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken

from .crawl import changed, snapshot
from .world import World

pytestmark = pytest.mark.django_db
HUGE = "x" * 100_000


def api(world: World, who: str = "owner") -> HttpClient:
    _, raw = ApiToken.issue(getattr(world, who))
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def page(world: World, who: str = "owner") -> HttpClient:
    client = HttpClient(raise_request_exception=False)
    client.force_login(getattr(world, who))
    return client


def assert_api_refused(response) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] and body["message"]


def test_a_20_mb_json_body_is_refused_with_the_error_shape(world: World) -> None:
    body = json.dumps({"email": "big@example.com", "password": "rose-petal-42", "name": "x" * (20 * 1024 * 1024)})
    calls = [(HttpClient(raise_request_exception=False), "/api/v1/auth/register"),
             (api(world, "customer"), "/api/v1/bookings")]
    before = snapshot()
    for client, url in calls:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 413, (url, response.status_code, response.content[:300])
        assert_api_refused(response)
    assert not changed(before, snapshot())


def test_a_20_mb_form_post_is_refused(world: World) -> None:
    before = snapshot()
    response = page(world).post(f"/partner/{world.venue.pk}/settings/", {"name": "x" * (20 * 1024 * 1024)})
    assert response.status_code in (400, 413)
    assert not changed(before, snapshot())


def test_too_many_form_fields_are_refused(world: World) -> None:
    before = snapshot()
    response = page(world).post(f"/partner/{world.venue.pk}/settings/", {f"f{n}": "1" for n in range(5000)})
    assert response.status_code == 400
    assert not changed(before, snapshot())


@pytest.mark.parametrize(("who", "method", "path", "body"), [
    ("anonymous", "post", "/api/v1/auth/register",
     {"email": "long@example.com", "password": "rose-petal-42", "name": HUGE}),
    ("anonymous", "post", "/api/v1/auth/token", {"email": "long@example.com", "password": HUGE}),
    ("customer", "post", "/api/v1/bookings",
     {"venue_id": 0, "services": [0], "start": "2026-03-05T10:00:00+00:00", "notes": HUGE}),
    ("customer", "post", "/api/v1/reviews", {"booking_id": 0, "overall": 5, "text": HUGE}),
    ("owner", "post", "/api/v1/partner/venues/{venue}/staff", {"name": HUGE, "title": "Nurse"}),
    ("owner", "post", "/api/v1/partner/venues/{venue}/services",
     {"treatment_id": 0, "name": HUGE, "price": "10", "duration_minutes": 30}),
    ("customer", "get", "/api/v1/search", {"q": HUGE, "near": "London"}),
])
def test_a_100k_character_field_is_refused_by_the_api(world: World, who: str, method: str, path: str,
                                                      body: dict) -> None:
    client = HttpClient(raise_request_exception=False) if who == "anonymous" else api(world, who)
    url = path.format(venue=world.venue.pk)
    before = snapshot()
    if method == "get":
        response = client.get(url, body)
    else:
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert_api_refused(response)
    assert not changed(before, snapshot())


@pytest.mark.parametrize(("who", "path", "form"), [
    ("anonymous", "/accounts/signup/", {"email": "long@example.com", "name": HUGE, "password1": "rose-petal-42",
                                        "password2": "rose-petal-42"}),
    ("anonymous", "/accounts/login/", {"email": HUGE + "@example.com", "password": HUGE}),
    ("customer", "/accounts/profile/", {"name": HUGE, "phone": ""}),
    ("owner", "/partner/{venue}/settings/", {"name": HUGE}),
    ("owner", "/partner/{venue}/staff/new/", {"name": HUGE, "title": "Nurse"}),
    ("owner", "/partner/{venue}/services/new/", {"name": HUGE}),
    ("owner", "/partner/{venue}/bookings/new/", {"client_name": HUGE, "notes": HUGE}),
    ("customer", "/search/", {"q": HUGE, "near": "London"}),
])
def test_a_100k_character_field_is_refused_by_the_pages(world: World, who: str, path: str, form: dict) -> None:
    client = HttpClient(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(world, who))
    url = path.format(venue=world.venue.pk)
    before = snapshot()
    response = client.get(url, form) if path == "/search/" else client.post(url, form)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert not changed(before, snapshot())


@pytest.mark.parametrize("target", ["id", "https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_a_strange_next_parameter_never_fails_nor_leaves_the_site(world: World, target: str) -> None:
    """Found by wapiti: GET /accounts/signup/?next=id, signed in, answered 500."""
    client = page(world, "customer")
    for url in ("/accounts/signup/", "/accounts/login/"):
        response = client.get(url, {"next": target})
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"].startswith("/") and not response["Location"].startswith("//")

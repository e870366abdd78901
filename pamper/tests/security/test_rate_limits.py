"""Per-client limits on sign-in, registration, booking and search answer 429 with Retry-After.

Pages answer a 429 page, the API its error shape {"code": "rate_limited", ...}.
Counting is per client: another address (or user) still gets through, and a
made-up X-Forwarded-For header does not make a new client.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken
from pamper.tests.factories import UserFactory
from pamper.throttles import RULES

from .world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_on")]


def limit(scope: str) -> int:
    return next(rule.limit for rule in RULES if rule.scope == scope)


def assert_api_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.content[:300]
    assert response.json()["code"] == "rate_limited" and response.json()["message"]
    assert int(response["Retry-After"]) > 0


def assert_page_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many" in response.content.decode()


def test_sign_in_page_locks_an_account_after_repeated_failures() -> None:
    UserFactory(email="ana@example.com", password="rose-petal-42", name="Ana")
    client = HttpClient()
    for _ in range(5):
        assert client.post("/accounts/login/", {"email": "ana@example.com", "password": "wrong"}).status_code == 400
    assert_page_limited(client.post("/accounts/login/", {"email": "ana@example.com", "password": "rose-petal-42"}))


def test_api_token_exchange_shares_the_sign_in_limit() -> None:
    UserFactory(email="ana@example.com", password="rose-petal-42", name="Ana")
    client = HttpClient()
    body = {"email": "ana@example.com", "password": "wrong-guess"}
    for _ in range(5):
        assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 401
    right = {"email": "ana@example.com", "password": "rose-petal-42"}
    assert_api_limited(client.post("/api/v1/auth/token", right, content_type="application/json"))
    # from another address the account is still locked: the counter is the account's
    elsewhere = HttpClient(REMOTE_ADDR="10.1.1.1")
    assert_api_limited(elsewhere.post("/api/v1/auth/token", right, content_type="application/json"))


def test_registration_pages_are_limited_per_address_and_share_one_counter(world: World) -> None:
    client = HttpClient()
    form = {"email": "not-an-email", "name": "X", "password1": "a", "password2": "b"}
    for _ in range(limit("signup") - 1):
        assert client.post("/accounts/signup/", form).status_code == 400
    inline = {"mode": "signup", "up-email": "bad", "services": [world.facial_service.pk], "start": "x"}
    assert client.post(f"/venues/{world.venue.slug}/book/signin/", inline).status_code != 429
    assert_page_limited(client.post("/accounts/signup/", form))
    assert_page_limited(client.post("/accounts/signup/", form, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert HttpClient(REMOTE_ADDR="10.9.9.9").post("/accounts/signup/", form).status_code == 400


def test_api_registration_is_limited_per_address() -> None:
    client = HttpClient()
    body = json.dumps({"email": "bad", "password": "x", "name": "X"})
    answers = [client.post("/api/v1/auth/register", body, content_type="application/json").status_code
               for _ in range(limit("signup"))]
    assert set(answers) == {422}
    assert_api_limited(client.post("/api/v1/auth/register", body, content_type="application/json"))
    spoofed = client.post("/api/v1/auth/register", body, content_type="application/json",
                          HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert_api_limited(spoofed)  # ninja would trust the header unless NINJA_NUM_PROXIES says otherwise


def test_booking_is_limited_per_client_on_the_api_and_the_pages(world: World) -> None:
    _, raw = ApiToken.issue(world.customer)
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for _ in range(limit("booking")):
        assert api.post("/api/v1/bookings", "{}", content_type="application/json").status_code == 422
    assert_api_limited(api.post("/api/v1/bookings", "{}", content_type="application/json"))

    pages = HttpClient()
    pages.force_login(world.reporter)
    for _ in range(limit("booking")):
        assert pages.post(f"/venues/{world.venue.slug}/book/hold/", {}).status_code != 429
    assert_page_limited(pages.post(f"/venues/{world.venue.slug}/book/hold/", {}))
    other = HttpClient()
    other.force_login(world.owner)
    assert other.post(f"/venues/{world.venue.slug}/book/hold/", {}).status_code != 429


def test_search_is_limited_per_client_on_the_api_and_the_page() -> None:
    client = HttpClient()
    for _ in range(limit("search")):
        assert client.get("/api/v1/search").status_code == 422  # no query: cheap, but counted
    assert_api_limited(client.get("/api/v1/search", {"q": "facial", "near": "London"}))
    assert_page_limited(client.get("/search/"))
    assert HttpClient(REMOTE_ADDR="10.2.2.2").get("/search/").status_code == 200


def test_the_switch_turns_the_limits_off_for_benchmarks(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = False
    client = HttpClient()
    assert all(client.get("/api/v1/search").status_code == 422 for _ in range(limit("search") + 5))

"""Who a rate limit counts, in which bucket, for how long, and the one switch (issue 13, point 15).

Anonymous requests and requests with a made-up credential count against the
network address; a valid session or bearer token counts against its user, so
minting more tokens opens no new bucket. Each limit (sign-up, token exchange,
search, booking, API browsing) has its own bucket, Retry-After is the time
left in the window, and settings.RATE_LIMITS switches every one of them off.
Time is frozen so that no run straddles a window boundary.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import get_resolver

from pamper.accounts.models import ApiToken
from pamper.tests.factories import UserFactory
from pamper.throttles import RULES

from .world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_on")]

JSON = "application/json"
BAD_SIGNUP = json.dumps({"email": "not-an-email", "password": "x", "name": "X"})
BAD_SIGNUP_FORM = {"email": "not-an-email", "name": "X", "password1": "a", "password2": "b"}


def limit(scope: str) -> int:
    return next(rule.limit for rule in RULES if rule.scope == scope)


def assert_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.content[:300]
    assert int(response["Retry-After"]) > 0


def register(client: HttpClient, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/register", BAD_SIGNUP, content_type=JSON, **headers)


def exchange(client: HttpClient, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", {"email": email, "password": password}, content_type=JSON)


def test_made_up_authorization_headers_count_against_the_address() -> None:
    client = HttpClient()
    for n in range(limit("search")):
        assert client.get("/api/v1/search", HTTP_AUTHORIZATION=f"Bearer made-up-{n}").status_code == 422
    assert_limited(client.get("/api/v1/search", HTTP_AUTHORIZATION="Bearer yet-another"))
    assert_limited(client.get("/api/v1/search", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg=="))
    assert_limited(client.get("/search/", HTTP_AUTHORIZATION="Bearer made-up-page"))
    assert_limited(client.get("/api/v1/search"))
    assert HttpClient(REMOTE_ADDR="10.3.3.3").get("/api/v1/search", HTTP_AUTHORIZATION="Bearer x").status_code == 422


def test_no_credential_reopens_sign_up_from_an_address(world: World) -> None:
    client = HttpClient()
    for n in range(limit("signup")):
        assert register(client, HTTP_AUTHORIZATION=f"Bearer made-up-{n}").status_code == 422
    assert_limited(register(client, HTTP_AUTHORIZATION="Bearer fresh"))
    assert_limited(client.post("/accounts/signup/", BAD_SIGNUP_FORM, HTTP_AUTHORIZATION="Bearer fresh"))
    # Not a valid token either: each new account's token would otherwise open the next bucket.
    _, raw = ApiToken.issue(world.customer)
    assert_limited(register(client, HTTP_AUTHORIZATION=f"Bearer {raw}"))
    assert register(HttpClient(REMOTE_ADDR="10.4.4.4")).status_code == 422


def test_a_users_tokens_and_session_share_one_booking_bucket(world: World) -> None:
    first, second = ApiToken.issue(world.customer)[1], ApiToken.issue(world.customer)[1]
    for n in range(limit("booking")):
        raw = (first, second)[n % 2]
        api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert api.post("/api/v1/bookings", "{}", content_type=JSON).status_code == 422
    minted = ApiToken.issue(world.customer)[1]
    fresh = HttpClient(HTTP_AUTHORIZATION=f"Bearer {minted}", REMOTE_ADDR="10.0.1.1")
    assert_limited(fresh.post("/api/v1/bookings", "{}", content_type=JSON))
    pages = HttpClient(REMOTE_ADDR="10.0.1.2")
    pages.force_login(world.customer)
    assert_limited(pages.post(f"/venues/{world.venue.slug}/book/hold/", {}))
    # Another user, and an anonymous client at an address the customer used, are not held back.
    other = HttpClient(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(world.reporter)[1]}", REMOTE_ADDR="10.0.0.1")
    assert other.post("/api/v1/bookings", "{}", content_type=JSON).status_code == 422
    assert HttpClient(REMOTE_ADDR="10.0.0.1").get("/api/v1/search").status_code == 422


def test_signed_in_searches_count_against_the_user_wherever_they_come_from(world: World) -> None:
    raw = ApiToken.issue(world.customer)[1]
    for n in range(limit("search")):
        api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=f"10.1.{n // 200}.{n % 200 + 1}")
        assert api.get("/api/v1/search").status_code == 422
    page = HttpClient(REMOTE_ADDR="10.9.9.9")
    page.force_login(world.customer)
    assert_limited(page.get("/search/"))
    assert HttpClient(REMOTE_ADDR="10.1.0.1").get("/search/").status_code == 200


def test_anonymous_browsing_leaves_the_sign_up_and_token_budgets_alone(world: World) -> None:
    UserFactory(email="ana@example.com", password="rose-petal-42", name="Ana")
    client = HttpClient()
    for _ in range(30):
        assert client.get("/api/v1/treatments").status_code == 200
    for _ in range(limit("signup")):
        assert register(client).status_code == 422
    assert exchange(client, "ana@example.com", "rose-petal-42").status_code == 200
    # ... nor does signing up touch browsing or the token exchange.
    assert_limited(register(client))
    assert exchange(client, "ana@example.com", "rose-petal-42").status_code == 200
    assert client.get("/api/v1/treatments").status_code == 200


def test_token_exchange_has_its_own_limit_per_address(world: World) -> None:
    UserFactory(email="ana@example.com", password="rose-petal-42", name="Ana")
    client = HttpClient()
    for _ in range(limit("token")):
        assert exchange(client, "ana@example.com", "rose-petal-42").status_code == 200
    assert_limited(exchange(client, "ana@example.com", "rose-petal-42"))
    assert exchange(HttpClient(REMOTE_ADDR="10.5.5.5"), "ana@example.com", "rose-petal-42").status_code == 200
    assert register(client).status_code == 422


def test_retry_after_of_an_hourly_limit_is_the_time_left_in_its_window() -> None:
    client = HttpClient()
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 15, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(limit("signup")):
            assert register(client).status_code == 422
        refused = register(client)
        assert_limited(refused)
        assert int(refused["Retry-After"]) == 45 * 60
        clock.move_to(dt.datetime(2026, 3, 4, 10, 59, 30, tzinfo=dt.UTC))
        page = client.post("/accounts/signup/", BAD_SIGNUP_FORM)
        assert_limited(page)
        assert int(page["Retry-After"]) == 30
        clock.move_to(dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC))
        assert register(client).status_code == 422


def test_the_one_switch_turns_every_limit_off(settings, world: World) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = False
    UserFactory(email="ana@example.com", password="rose-petal-42", name="Ana")
    client = HttpClient()
    token = HttpClient(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(world.customer)[1]}")
    assert all(register(client).status_code == 422 for _ in range(limit("signup") + 1))
    assert all(client.post("/accounts/signup/", BAD_SIGNUP_FORM).status_code == 400 for _ in range(limit("signup") + 1))
    assert all(exchange(client, "ana@example.com",
                        "rose-petal-42").status_code == 200 for _ in range(limit("token") + 1))
    assert all(client.get("/api/v1/search").status_code == 422 for _ in range(limit("search") + 1))
    assert all(token.post("/api/v1/bookings", "{}", content_type=JSON).status_code == 422
               for _ in range(limit("booking") + 1))
    assert all(client.get("/api/v1/auth/me").status_code == 401 for _ in range(limit("browse") + 1))


def test_the_api_has_no_throttle_outside_the_one_limiter() -> None:
    """ninja throttles would keep their own counters and ignore the switch: every limit is the middleware's."""
    api_patterns = get_resolver().namespace_dict["api"][1].url_patterns
    views = [inspect.unwrap(pattern.callback) for pattern in api_patterns]  # under the HEAD-as-GET wrapper
    cells = [cell for view in views for cell in getattr(view, "__closure__", None) or ()]
    operations = [op for cell in cells for op in getattr(cell.cell_contents, "operations", [])]
    assert len(operations) > 50
    assert [op.view_func.__name__ for op in operations if op.throttle_objects] == []

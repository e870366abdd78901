"""The API's contract as a client sees it: registration, tokens, the error shape, OpenAPI."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pamper.accounts.models import ApiToken, User
from pamper.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers)


def assert_error_shape(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code
    return body


def test_register_returns_a_token_that_authenticates(client: Client) -> None:
    response = post(client, "/api/v1/auth/register",
                    {"email": "Ana@Example.com", "password": "rose-petal-42", "name": "Ana"})
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["user"]["email"] == "ana@example.com"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["name"] == "Ana"


@pytest.mark.argon2
def test_tokens_are_stored_hashed_and_passwords_with_argon2(client: Client) -> None:
    token = post(client, "/api/v1/auth/register",
                 {"email": "b@example.com", "password": "rose-petal-42", "name": "B"}).json()["token"]
    row = ApiToken.objects.get()
    assert token not in row.key_hash and len(row.key_hash) == 64
    assert User.objects.get().password.startswith("argon2")


def test_token_exchange_and_wrong_password(client: Client) -> None:
    UserFactory(email="c@example.com", password="rose-petal-42", name="C")
    ok = post(client, "/api/v1/auth/token", {"email": "C@example.com", "password": "rose-petal-42"})
    assert ok.status_code == 200 and ok.json()["token"].startswith("pmp_")
    assert_error_shape(post(client, "/api/v1/auth/token", {"email": "c@example.com", "password": "nope-nope-1"}), 401,
                       "invalid_credentials")
    assert_error_shape(post(client, "/api/v1/auth/token", {"email": "nobody@example.com", "password": "nope-nope-1"}),
                       401)


def test_duplicate_email_is_a_conflict_and_changes_nothing(client: Client) -> None:
    body = {"email": "d@example.com", "password": "rose-petal-42", "name": "D"}
    assert post(client, "/api/v1/auth/register", body).status_code == 201
    assert_error_shape(post(client, "/api/v1/auth/register", body), 409, "email_taken")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ("", 422),
        ({"email": "not-an-email", "password": "rose-petal-42", "name": "E"}, 422),
        ({"email": "e@example.com", "password": "rose-petal-42"}, 422),
        ({"email": "e@example.com", "password": "rose-petal-42", "name": "x" * 151}, 422),
        ({"email": "e@example.com", "password": "p" * 129, "name": "E"}, 422),
        ({"email": "e@example.com", "password": "password", "name": "E"}, 422),
        ([1, 2, 3], 422),
    ],
)
def test_bad_registration_input_is_4xx_with_the_error_shape(client: Client, body: object, status: int) -> None:
    assert_error_shape(post(client, "/api/v1/auth/register", body), status)
    assert User.objects.count() == 0


def test_bad_or_missing_token_is_401(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/auth/me"), 401, "unauthorized")
    assert_error_shape(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer pmp_wrong"}), 401)


def test_revoked_token_no_longer_works(client: Client) -> None:
    user = UserFactory(email="f@example.com", password="rose-petal-42", name="F")
    row, raw = ApiToken.issue(user)
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    row.revoked_at = row.created_at
    row.save()
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_unknown_api_route_is_a_json_404(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404)


def test_openapi_document_is_valid_openapi_3(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/auth/register" in doc["paths"]
    from openapi_spec_validator import validate

    validate(doc)


def test_docs_page_serves(client: Client) -> None:
    assert client.get("/api/v1/docs").status_code == 200


def test_health_check(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp

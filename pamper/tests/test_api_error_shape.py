"""Every error the API answers is JSON {"code", "message"}, whoever produced it: ninja, Django or a middleware.

Walks every operation in the OpenAPI document with every method it does not
allow (405), unknown paths under /api/ (404), and the errors Django makes
before or around a view (400 for a bad Host or too many form fields, 413, 500).
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import Client

from pamper.accounts.models import ApiToken
from pamper.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def assert_json_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    where = (response.request["REQUEST_METHOD"], response.request["PATH_INFO"], response.status_code)
    assert response.status_code == status, (*where, response.content[:200])
    assert response["Content-Type"].startswith("application/json"), (*where, response["Content-Type"])
    body = json.loads(response.content)
    assert isinstance(body.get("code"), str) and body["code"], (*where, body)
    assert isinstance(body.get("message"), str) and body["message"], (*where, body)
    return body


def example(parameter: dict) -> str:
    """A value of the path parameter's type, so the path resolves to its operation."""
    schema = parameter.get("schema", {})
    if schema.get("type") == "integer":
        return "1"
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("format") == "date":
        return "2026-03-05"
    return "abc"


def operations(client: Client) -> list[tuple[str, set[str]]]:
    """(a concrete path, the methods it allows) for every path of the OpenAPI document."""
    document = client.get("/api/v1/openapi.json").json()
    found = []
    for template, item in document["paths"].items():
        allowed = {m.upper() for m in item if m.upper() in METHODS or m.upper() == "HEAD"}
        params = {p["name"]: p for op in item.values() if isinstance(op, dict)
                  for p in op.get("parameters", []) if p.get("in") == "path"}
        path = re.sub(r"\{(\w+)\}", lambda m, params=params: example(params.get(m.group(1), {})), template)
        found.append((path, allowed))
    return found


@pytest.fixture
def client() -> Client:
    user = UserFactory(email="walker@pamper.example", password="a long password 42", name="")
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def test_every_api_path_answers_a_method_it_does_not_allow_with_a_json_405(client: Client) -> None:
    walked = 0
    for path, allowed in operations(client):
        for method in set(METHODS) - allowed:
            response = client.generic(method, path, data=b"{}", content_type="application/json")
            assert_json_error(response, 405)
            assert set(response["Allow"].replace(" ", "").split(",")) >= allowed - {"HEAD"}, (method, path)
            walked += 1
    assert walked > 100  # the document was read: dozens of paths, each with methods it refuses


@pytest.mark.parametrize("path", [
    "/api/", "/api/v1/", "/api/v1/nothing-here", "/api/v2/search", "/api/v1/venues/a/b/c/d/e", "/api/v1/search/",
    "/api/v1/%ff", "/api/v1/auth/token/extra", "/api/v1/openapi.json/x",
])
@pytest.mark.parametrize("method", METHODS)
def test_unknown_api_paths_are_a_json_404(client: Client, path: str, method: str) -> None:
    response = client.generic(method, path, data=b"{}", content_type="application/json")
    assert_json_error(response, 404)


@pytest.mark.parametrize("path", ["/api/v1/treatments/no-such-treatment", "/api/v1/bookings/999999999",
                                  "/api/v1/venues/by-slug/no-such-venue"])
def test_unknown_objects_are_a_json_404(client: Client, path: str) -> None:
    assert_json_error(client.get(path), 404)


def test_a_bad_host_header_on_the_api_is_a_json_400(client: Client) -> None:
    response = client.get("/api/v1/treatments", headers={"Host": "evil.example"})
    assert_json_error(response, 400)


def test_malformed_json_is_a_json_400(client: Client) -> None:
    response = client.post("/api/v1/bookings", data=b"{not json", content_type="application/json")
    assert_json_error(response, 400)


FORM_PATHS = ["/api/v1/auth/token", "/api/v1/clinical/venues/1/clients/1/photos"]  # a JSON body, a form body


@pytest.mark.parametrize("path", FORM_PATHS)
def test_too_many_form_fields_on_the_api_is_a_json_400(client: Client, path: str) -> None:
    body = "&".join(f"f{n}=1" for n in range(5000))
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 400)


@pytest.mark.parametrize("path", FORM_PATHS)
def test_an_oversized_form_body_on_the_api_is_a_json_413(client: Client, path: str) -> None:
    body = "name=" + "x" * (20 * 1024 * 1024)
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 413)

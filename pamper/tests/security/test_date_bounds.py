"""Every date and instant a request names is bounded: years 1 and 9999 and garbage are a 4xx, never a 500.

The API walk is generated from the OpenAPI document: every operation with a
`date` or `date-time` query parameter or body field (however deeply nested)
is called with a request that is otherwise valid (a baseline with a good date
must not be refused for its fields), then with each bad value in that one
place. Out-of-range dates must be a 422 `invalid` naming the field; garbage a
4xx; every answer carries the error shape.

The pages that take dates (query strings and forms) are called the same way,
and every Django form of the project that declares a date or datetime field
must declare a bounded one (pamper.lib.dates), so a new form cannot forget.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.test import Client

import pamper
from pamper.accounts.models import ApiToken
from pamper.lib import dates

from .world import World

pytestmark = pytest.mark.django_db

GOOD = {"date": "2026-03-10", "date-time": "2026-03-10T10:00:00+00:00"}
OUT_OF_RANGE = {
    "date": ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"],
    "date-time": ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:00-01:00",
                  "9999-12-31T00:00:00+00:00", "2100-01-01T10:00:00+00:00"],
}
GARBAGE = {
    "date": ["2026-02-30", "garbage", "99999-01-01", "-0001-01-01"],
    "date-time": ["2026-13-01T10:00:00+00:00", "garbage", "99999-01-01T00:00:00Z", "2026-03-10T25:00:00+00:00"],
}
QUERY_DEFAULTS = {"q": "facial", "near": "London"}
# A span's ends (time off): whichever end is tried at GOOD, the other one keeps the span the right way round.
SPAN = {"start": "2026-03-09T10:00:00+00:00", "end": "2026-03-11T10:00:00+00:00"}


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    where: str  # "query" or "body"
    field: tuple[str, ...]  # the query name, or the keys down to the field in the body
    fmt: str  # "date" or "date-time"

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} {self.where}:{'.'.join(self.field)}"


class Spec:
    """The OpenAPI document with $ref resolution and a generator of valid examples."""

    def __init__(self, world: World) -> None:
        from pamper.api import api

        self.doc = api.get_openapi_schema()
        w = world
        self.ids = {
            "venue_id": w.venue.pk, "service_id": w.facial_service.pk, "services": w.facial_service.pk,
            "staff_id": w.staff.pk, "client_id": w.client.pk, "booking_id": w.upcoming.pk,
            "treatment_id": w.meso.pk, "session_id": w.session.pk,
        }
        self.path_values = {k: v[0] for k, v in w.url_values().items() if v}

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
        return schema

    def targets(self) -> list[Target]:
        found: list[Target] = []
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                for param in op.get("parameters", []):
                    fmt = self._format(param["schema"])
                    if fmt and param["in"] == "query":
                        found.append(Target(method, path, "query", (param["name"],), fmt))
                body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
                if body:
                    found += [Target(method, path, "body", keys, fmt) for keys, fmt in self._body_dates(body, ())]
        return found

    def _format(self, schema: dict[str, Any]) -> str | None:
        schema = self.resolve(schema)
        for option in [schema, *schema.get("anyOf", [])]:
            option = self.resolve(option)
            if option.get("format") in ("date", "date-time"):
                return option["format"]
        return None

    def _body_dates(self, schema: dict[str, Any], keys: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
        schema = self.resolve(schema)
        fmt = self._format(schema)
        if fmt:
            return [(keys, fmt)]
        found = []
        for option in schema.get("anyOf", []):
            found += self._body_dates(option, keys)
        for name, sub in schema.get("properties", {}).items():
            found += self._body_dates(sub, (*keys, name))
        return found

    def example(self, schema: dict[str, Any], name: str = "", *, full: bool = False) -> Any:
        """A valid value: every required property (all of them with `full`), ids from the world."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return self.example(next(s for s in schema["anyOf"] if self.resolve(s).get("type") != "null"), name,
                                full=full)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            required = set(schema.get("required", []))
            return {k: self.example(v, k, full=full) for k, v in schema.get("properties", {}).items()
                    if k in required or full}
        if kind == "array":
            return [self.example(schema["items"], name, full=full)]
        if kind == "integer":
            return self.ids.get(name, max(1, schema.get("minimum", 1)))
        if kind == "number":
            return 1.0
        if kind == "boolean":
            return False
        if schema.get("format") == "date-time" and name in SPAN:  # the other end of a span tried at GOOD
            return SPAN[name]
        if schema.get("format") in GOOD:
            return GOOD[schema["format"]]
        if schema.get("format") == "time":
            return {"end": "17:00:00"}.get(name, "09:00:00")
        if name == "email" or schema.get("format") == "email":
            return "someone@example.com"
        if name == "services":
            return str(self.ids["services"])
        text = QUERY_DEFAULTS.get(name, "A reasonable text")
        return text[: schema.get("maxLength", len(text))].ljust(schema.get("minLength", 0), "x")


@pytest.fixture
def api_client(world: World) -> Client:
    _, raw = ApiToken.issue(world.owner, two_factor=True)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


def _with(body: Any, keys: tuple[str, ...], value: Any) -> Any:
    """A copy of body with the value at keys (creating the objects on the way)."""
    if not keys:
        return value
    copy = dict(body or {})
    copy[keys[0]] = _with(copy.get(keys[0]), keys[1:], value)
    return copy


def _call(client: Client, spec: Spec, target: Target, value: str) -> Any:
    op = spec.doc["paths"][target.path][target.method]
    path = target.path
    for name, value_ in spec.path_values.items():
        path = path.replace("{" + name + "}", value_)
    query = {p["name"]: spec.example(p["schema"], p["name"]) for p in op.get("parameters", [])
             if p["in"] == "query" and (p.get("required") or p["name"] in QUERY_DEFAULTS)}
    body = None
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema:
        body = spec.example(schema)
    if target.where == "query":
        query[target.field[0]] = value
    else:
        body = _with(body, target.field, value)
    if target.method == "get":
        return client.get(path, query)
    url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.generic(target.method.upper(), url, json.dumps(body), content_type="application/json")


def _shape(response: Any, where: str) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), where
    body = response.json()
    assert isinstance(body.get("code"), str) and isinstance(body.get("message"), str) and body["message"], (where, body)
    return body


def test_the_walk_finds_every_date_input_the_issue_names(world: World) -> None:
    names = {str(t) for t in Spec(world).targets()}
    for expected in ("GET /api/v1/venues/{venue_id}/availability query:from",
                     "GET /api/v1/partner/venues/{venue_id}/calendar query:date",
                     "GET /api/v1/partner/venues/{venue_id}/bookings query:to",
                     "POST /api/v1/partner/venues/{venue_id}/bookings body:start",
                     "POST /api/v1/partner/venues/{venue_id}/bookings/{booking_id}/move body:start",
                     "POST /api/v1/bookings body:start", "GET /api/v1/search query:available_on"):
        assert expected in names, names


def test_every_api_date_input_refuses_years_1_and_9999_and_garbage_with_the_error_shape(world: World,
                                                                                        api_client: Client) -> None:
    spec = Spec(world)
    failures = []
    for target in spec.targets():
        baseline = _call(api_client, spec, target, GOOD[target.fmt])
        if baseline.status_code >= 500 or (baseline.status_code == 422 and baseline.json().get("code") == "invalid"):
            failures.append(f"{target}: the baseline request is refused: {baseline.status_code} "
                            f"{baseline.content[:300]!r}")
            continue
        for value in OUT_OF_RANGE[target.fmt] + GARBAGE[target.fmt]:
            where = f"{target} = {value!r}"
            response = _call(api_client, spec, target, value)
            if not 400 <= response.status_code < 500:
                failures.append(f"{where}: {response.status_code}")
                continue
            body = _shape(response, where)
            if value in OUT_OF_RANGE[target.fmt]:
                fields = [e["field"] for e in body.get("errors", [])]
                if response.status_code != 422 or body["code"] != "invalid" or not any(
                        f.split(".")[-1] == target.field[-1] for f in fields):
                    failures.append(f"{where}: {response.status_code} {body} (want 422 invalid naming the field)")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------- pages


def _page_cases(w: World) -> list[tuple[str, str, str, dict[str, Any], str]]:
    """(who, method, url, data, the field that carries the date) for every page that takes a date."""
    v, b, s = w.venue.pk, w.walk_in_booking.pk, w.staff.pk
    book = f"/venues/{w.venue.slug}/book/"
    return [
        ("owner", "get", f"/partner/{v}/calendar/", {"view": "week"}, "date"),
        ("owner", "get", f"/partner/{v}/calendar/", {}, "date"),
        ("owner", "get", f"/partner/{v}/bookings/new/", {}, "date"),
        ("owner", "get", f"/partner/{v}/bookings/new/", {}, "start"),
        ("owner", "post", f"/partner/{v}/bookings/new/",
         {"name": "Walk In Two", "phone": "07700 900999", "service": w.facial_service.pk, "time": "11:00"}, "date"),
        ("owner", "post", f"/partner/{v}/bookings/{b}/move/", {"time": "11:00"}, "date"),
        ("owner", "post", f"/partner/{v}/staff/{s}/shifts/new/", {"weekday": 0, "start": "09:00", "end": "17:00"},
         "valid_from"),
        ("owner", "post", f"/partner/{v}/staff/{s}/shifts/new/", {"weekday": 0, "start": "09:00", "end": "17:00"},
         "valid_until"),
        ("owner", "post", f"/partner/{v}/staff/{s}/time-off/new/",
         {"start_time": "09:00", "end_date": "2026-03-12", "end_time": "17:00", "reason": "Course"}, "start_date"),
        ("owner", "post", f"/partner/{v}/closures/new/", {"start_date": "2026-03-12", "reason": "Works"}, "end_date"),
        ("customer", "post", f"{book}hold/", {"service": w.facial_service.pk}, "start"),
        ("customer", "post", f"/bookings/{w.upcoming.pk}/reschedule/", {"staff": "keep"}, "start"),
        ("anonymous", "get", "/search/", {"q": "facial", "near": "London"}, "available_on"),
    ]


# Where a date only steers what is shown (a picker's day, the slot a checkout step starts from), a date out of
# range is treated as garbage is: the same answer, never a 500.
STEERING = [
    ("anonymous", "get", "/venues/{slug}/book/", "day"), ("anonymous", "get", "/venues/{slug}/book/", "start_day"),
    ("customer", "get", "/bookings/{upcoming}/reschedule/", "day"),
    ("customer", "get", "/bookings/{upcoming}/reschedule/", "start_day"),
    ("customer", "get", "/book/pathway/{meso}/", "date"),
    ("customer", "get", "/book/pathway/{meso}/", "consultation_start"),
    ("customer", "post", "/book/pathway/{meso}/", "consultation_start"),
    ("customer", "post", "/book/pathway/{meso}/", "treatment_start"),
]


def _client(w: World, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(w, who))
    return client


INSTANT_FIELDS = ("start", "consultation_start", "treatment_start")


def _value_for(field: str, value: str) -> str:
    return value if "T" in value or field not in INSTANT_FIELDS else f"{value}T10:00:00+00:00"


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-01:00",
                                   "2100-01-01", "2026-02-30"])
def test_every_page_that_takes_a_date_refuses_it_out_of_range_with_a_4xx_and_a_message(world: World,
                                                                                       value: str) -> None:
    failures = []
    for who, method, url, data, field in _page_cases(world):
        if field not in INSTANT_FIELDS and "T" in value:
            continue
        client = _client(world, who)
        response = getattr(client, method)(url, {**data, field: _value_for(field, value)})
        if not 400 <= response.status_code < 500 or not response.content.strip():
            failures.append(f"[{who}] {method.upper()} {url} {field}={value}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value",
                         ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-01:00"])
def test_a_date_that_only_steers_a_picker_is_ignored_out_of_range_like_garbage(world: World, value: str) -> None:
    names = {"slug": world.venue.slug, "upcoming": world.upcoming.pk, "meso": world.meso_service.pk}
    base = {"service": world.facial_service.pk, "consultation_start": "2026-03-10T10:00:00+00:00",
            "treatment_start": "2026-03-12T10:00:00+00:00"}
    for who, method, url, field in STEERING:
        client = _client(world, who)
        call = getattr(client, method)
        garbage = call(url.format(**names), {**base, field: "garbage"}).status_code
        response = call(url.format(**names), {**base, field: _value_for(field, value)})
        assert response.status_code == garbage and garbage < 500, (who, method, url, field, value, response.status_code)


def _project_forms() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(pamper.__path__, "pamper."):
        if info.name.endswith(".forms"):
            importlib.import_module(info.name)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("pamper."):
            found.append(cls)
    return found


def test_every_project_form_date_field_is_bounded() -> None:
    loose = []
    for form in _project_forms():
        for name, f in getattr(form, "base_fields", {}).items():
            if isinstance(f, forms.DateField | forms.DateTimeField) and not dates.is_bounded(f):
                loose.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not loose, loose


def test_the_refusal_reads_as_a_sentence_for_people(world: World) -> None:
    """The message names the field and the window, without pydantic's "Value error," prefix."""
    answer = Client().get(f"/api/v1/venues/{world.venue.pk}/availability",
                          {"services": world.facial_service.pk, "from": "0001-01-01"})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert message.startswith("from: Choose a date from ") and "Value error" not in message

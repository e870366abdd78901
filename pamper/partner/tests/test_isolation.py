"""Tenant isolation as a matrix generated from the URL configuration.

Every route under /partner/ and /api/v1/partner/ is found by walking Django's
URL resolvers (the ninja API's routes are among them; their methods and
request bodies come from the API's OpenAPI document). For every route that
takes an object id, the owner of venue A asks for venue B's objects:

- with B's venue in the path (every id B's), and
- with A's own venue in the path and one id at a time swapped for B's.

Each answer must be a 404 (a 405 only where the route refuses that method
for A's own objects too), its body must not contain any string planted in
venue B, and no row anywhere in the project's tables may change.

A new route whose path takes an id this file does not know fails the matrix
until a planter for that object type is added to TENANT_TYPES: a route cannot
escape by being new.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver

from pamper.accounts.models import Invitation, Membership, Role
from pamper.api import api
from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Source
from pamper.catalog.models import Treatment
from pamper.clinical.models import (
    Consultation,
    Course,
    ProgressPhoto,
    Questionnaire,
    QuestionnaireResponse,
    TreatmentSession,
)
from pamper.practitioners.models import Credential
from pamper.tests.factories import ResourceFactory
from pamper.tests.snapshot import replayed
from pamper.venues.models import Client, Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue

from . import factories
from .factories import utc

pytestmark = pytest.mark.django_db

PREFIXES = ("partner/", "api/v1/partner/")
API_PREFIX = "api/v1/"
# Path parameter -> the venue-owned model it names. Adding a route with another id fails the matrix.
TENANT_TYPES: dict[str, type] = {
    "venue_id": Venue,
    "booking_id": Booking,
    "client_id": Client,
    "service_id": Service,
    "resource_id": Resource,
    "staff_id": Staff,
    "shift_id": Shift,
    "time_off_id": TimeOff,
    "hours_id": OpeningHours,
    "closure_id": Closure,
    "invitation_id": Invitation,
    "membership_id": Membership,
    "consultation_id": Consultation,
    "response_id": QuestionnaireResponse,
    "photo_id": ProgressPhoto,
    "session_id": TreatmentSession,
    "credential_id": Credential,
}
# Ids of public, shared rows (the treatment catalogue): the same object for both venues.
SHARED_TYPES = {"treatment_id": Treatment}
# Tables whose rows must not change (the project's own apps, with many-to-many tables).
WATCHED_APPS = ("accounts", "catalog", "venues", "search", "bookings", "clinical", "reviews", "notifications",
                "partner", "practitioners")
# A form body that would pass most of the workspace forms, so a view that validated before
# looking its object up would answer 200/302/400 and be caught.
FORM_BODY = {
    "reason": "Evil reason", "name": "Evil", "phone": "07700 900000", "email": "evil@example.com", "date": "2026-05-06",
    "time": "10:00", "start": "10:00", "end": "11:00", "weekday": "1", "opens": "09:00", "closes": "17:00",
    "start_date": "2026-05-06", "end_date": "2026-05-07", "start_time": "09:00", "end_time": "10:00", "role": "manager",
    "price": "1.00", "duration_minutes": "30", "buffer_before": "0", "buffer_after": "0", "position": "0",
    "kind": "treatment", "publish": "1", "slot_minutes": "15", "min_notice_minutes": "0", "horizon_days": "30",
    "cancel_notice_hours": "1", "reminder_lead_hours": "1", "outcome": "reaction", "decision": "declined",
    "note": "Evil", "notes": "Evil",
}


# --- the routes -------------------------------------------------------------------------------------


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


@functools.cache
def _openapi() -> dict[str, Any]:
    """The API's OpenAPI document, read once (the API hands out a deep copy per call: 0.1 s each)."""
    return api.get_openapi_schema(path_prefix="/" + API_PREFIX)


def _api_operations(route: str) -> dict[str, dict[str, Any]]:
    """{METHOD: operation} for an API route, from the OpenAPI document."""
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    item = _openapi()["paths"].get(path, {})
    return {method.upper(): op for method, op in item.items() if method in {"get", "post", "put", "patch", "delete"}}


def routes() -> list[tuple[str, list[str], list[str]]]:
    """(route, its path parameters, its methods) for every partner route; duplicates (one per ninja operation)
    merged."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for route, _pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(PREFIXES):
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        methods = sorted(_api_operations(route)) if route.startswith(API_PREFIX) else ["GET", "POST"]
        found[route] = (params, methods)
    return [(route, params, methods) for route, (params, methods) in sorted(found.items())]


ALL_ROUTES = routes()
OBJECT_ROUTES = [r for r in ALL_ROUTES if r[1]]


# --- planting two venues full of recognisable rows ----------------------------------------------------


def plant(tag: str, treatment: Treatment, questionnaire: Questionnaire) -> tuple[factories.Salon, dict[str, int]]:
    """A venue with one object of every tenant type; every name, note and reason carries `tag`."""
    s = factories.salon(tag)
    now = utc(2026, 5, 5, 7, 0)
    booking = booking_actions.book_visit(venue=s.venue, services=[s.facial], start=utc(2026, 5, 6, 9, 0),
                                         client=s.client, staff=s.ana, source=Source.PARTNER,
                                         notes=f"{tag} private booking note", now=now)
    off = TimeOff.objects.create(staff=s.ben, start=utc(2026, 5, 8, 8), end=utc(2026, 5, 8, 12),
                                 reason=f"{tag} holiday")
    room = ResourceFactory(venue=s.venue, name=f"{tag} laser room")
    closure = Closure.objects.create(venue=s.venue, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2),
                                     reason=f"{tag} refurbishment")
    invitation = Invitation.objects.create(venue=s.venue, email=f"invitee.{tag.lower()}@example.com", role=Role.MANAGER,
                                           token_hash=secrets.token_hex(32), expires_at=now + dt.timedelta(days=7))
    consultation = Consultation.objects.create(venue=s.venue, client=s.client, treatment=treatment, applied_at=now,
                                               outcome="reaction", notes=f"{tag} clinical note")
    response = QuestionnaireResponse.objects.create(client=s.client, questionnaire=questionnaire, flagged=True,
                                                    review_status="needs_review",
                                                    answers={"allergies": f"{tag} allergy"})
    course = Course.objects.create(venue=s.venue, client=s.client, treatment=treatment, planned_sessions=3,
                                   interval_days=14)
    session = TreatmentSession.objects.create(course=course, number=1, performed_at=now,
                                              checkin_due_at=now + dt.timedelta(days=2), flagged=True,
                                              notes=f"{tag} session note")
    photo = ProgressPhoto.objects.create(venue=s.venue, client=s.client, treatment=treatment,
                                         storage_name=secrets.token_hex(16), content_type="image/jpeg", width=10,
                                         height=10, size_bytes=100)
    ids = {
        "venue_id": s.venue.pk, "booking_id": booking.pk, "client_id": s.client.pk, "service_id": s.facial.pk,
        "resource_id": room.pk,
        "staff_id": s.ben.pk, "shift_id": Shift.objects.filter(staff=s.ben).first().pk,  # type: ignore[union-attr]
        "time_off_id": off.pk, "hours_id": OpeningHours.objects.filter(venue=s.venue).first().pk,  # type: ignore[union-attr]
        "closure_id": closure.pk, "invitation_id": invitation.pk,
        "membership_id": Membership.objects.get(user=s.reception, venue=s.venue).pk,
        "consultation_id": consultation.pk, "response_id": response.pk, "photo_id": photo.pk, "session_id": session.pk,
        "credential_id": Credential.objects.create(venue=s.venue, staff=s.ben, kind="registration", profession="nurse",
                                                   body="NMC", number=f"{tag} registration").pk,
    }
    assert set(ids) == set(TENANT_TYPES)
    return s, ids


def planted_strings(s: factories.Salon) -> list[str]:
    """What must never show in an answer to venue A: the tag and B's people's contact details."""
    return [s.tag.lower(), s.client.phone, s.client.email.lower()]


def leaks(body: str, forbidden: list[str]) -> list[str]:
    """The forbidden strings that stand as words in a lower-cased answer.

    A word boundary on each side, so a random token (a CSRF token or a CSP nonce) that happens to hold
    the letters of B's four-letter tag is not taken for B's name: that made this test fail about once
    in a few thousand pages.
    """
    return [s for s in forbidden if re.search(rf"(?<![0-9a-z]){re.escape(s)}(?![0-9a-z])", body)]


def test_a_random_token_holding_the_tag_is_not_a_leak() -> None:
    forbidden = ["iris", "+447700900123", "iris.client@example.com"]
    assert leaks('<input name="csrfmiddlewaretoken" value="q8xirisz0k">', forbidden) == []
    assert leaks("<h1>iris studio</h1>", forbidden) == ["iris"]
    assert leaks("call +447700900123 or write to iris.client@example.com", forbidden) == forbidden


USE_STAMP = ("accounts.ApiToken", "last_used_at")


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every watched table, in primary-key order."""
    with connection.cursor() as cursor:
        state = {}
        for label, sql in _snapshot_statements():
            cursor.execute(sql)
            state[label] = cursor.fetchall()
    return state


@functools.cache
def _snapshot_statements() -> list[tuple[str, str]]:
    """One plain SELECT per watched table, its columns as stored: built once, run as SQL, since compiling some
    80 ORM querysets after every request took most of this module's time (67 ms a snapshot)."""
    quote = connection.ops.quote_name
    statements = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # When a token was last used is bookkeeping, not data a request may change.
            columns = [f.column for f in model._meta.concrete_fields if (model._meta.label, f.name) != USE_STAMP]
            statements.append((model._meta.label, f"SELECT {', '.join(map(quote, columns))} FROM "
                               f"{quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}"))
    return statements


# --- asking ---------------------------------------------------------------------------------------------


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A minimal valid value for a JSON schema, so the API's validation passes and the lookup decides."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _example(options[0], components)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _example(props[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), components)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if "enum" in schema:
        return schema["enum"][0]
    fmt = schema.get("format")
    samples = {"date-time": "2026-05-06T10:00:00+01:00", "date": "2026-05-06", "time": "10:00:00",
               "email": "evil@example.com"}
    if fmt in samples:
        return samples[fmt]
    pattern = schema.get("pattern")
    if pattern and re.fullmatch(pattern, "10"):
        return "10"
    choice = re.fullmatch(r"\^\(([\w-]+)(?:\|[\w-]+)*\)\$", pattern or "")
    if choice:  # a choice written as a pattern, e.g. ^(no_show|late_cancel)$
        return choice.group(1)
    return "x" * max(1, schema.get("minLength", 1))


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return ""
    return json.dumps(_example(content["schema"], _openapi().get("components", {}).get("schemas", {})))


def ask(browser: Browser, method: str, route: str, values: dict[str, int], headers: dict[str, str]) -> Any:
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    if route.startswith(API_PREFIX):
        body = _body(_api_operations(route)[method])
        return browser.generic(method, path, body, content_type="application/json", **headers)
    if method == "GET":
        return browser.get(path)
    return browser.post(path, FORM_BODY)


def cases(params: list[str], mine: dict[str, int], theirs: dict[str, int],
          shared: dict[str, int]) -> Iterator[tuple[str, dict[str, int]]]:
    """The ways a member of A reaches for B's objects on one route."""
    tenant = [p for p in params if p in TENANT_TYPES]
    base = {p: shared[p] for p in params if p in SHARED_TYPES}
    if "venue_id" in tenant:
        yield "B's venue", {**base, **{p: theirs[p] for p in tenant}}
        for swapped in (p for p in tenant if p != "venue_id"):
            yield f"A's venue, B's {swapped}", {**base, **{p: mine[p] for p in tenant}, swapped: theirs[swapped]}
    else:
        yield "B's objects", {**base, **{p: theirs[p] for p in tenant}}


def two_salons():  # type: ignore[no-untyped-def]
    treatment = factories.treatment("Mesotherapy")
    questionnaire = Questionnaire.objects.create(treatment=treatment, version=1, questions=[
        {"slug": "allergies", "kind": "text", "label": "Allergies", "question": "Any allergies?"}])
    a, mine = plant("Rose", treatment, questionnaire)
    b, theirs = plant("Iris", treatment, questionnaire)
    return a, mine, b, theirs, {"treatment_id": treatment.pk}


@pytest.fixture
def world(db, frozen):  # type: ignore[no-untyped-def]
    """Rose's and Iris's salons, built by a worker's first test and copied back for the next
    (pamper/tests/snapshot.py)."""
    return replayed("isolation-salons", two_salons)


def test_every_partner_route_with_an_id_is_known_to_the_matrix() -> None:
    unknown = {p for _, params, _ in OBJECT_ROUTES for p in params if p not in TENANT_TYPES and p not in SHARED_TYPES}
    assert not unknown, (f"routes take ids the isolation matrix cannot plant: {sorted(unknown)}; "
                         "add them to TENANT_TYPES")
    api_routes = [r for r in OBJECT_ROUTES if r[0].startswith(API_PREFIX)]
    assert len(api_routes) >= 8 and all(methods for _, _, methods in api_routes)
    assert len(OBJECT_ROUTES) >= 50


def test_the_snapshot_sees_a_changed_row(world) -> None:  # type: ignore[no-untyped-def]
    _a, _mine, b, _theirs, _shared = world
    before = snapshot()
    assert before["venues.Venue"] and "accounts.ApiToken" in before
    Venue.objects.filter(pk=b.venue.pk).update(name="Renamed")
    after = snapshot()
    assert [label for label in before if before[label] != after[label]] == ["venues.Venue"]


@pytest.mark.parametrize(("route", "params", "methods"), OBJECT_ROUTES, ids=[r[0] for r in OBJECT_ROUTES])
def test_a_member_of_venue_a_cannot_reach_venue_b(  # type: ignore[no-untyped-def]
        client: Browser, world, route: str, params: list[str], methods: list[str]) -> None:
    a, mine, b, theirs, shared = world
    client.force_login(a.owner)
    headers = factories.bearer(a.owner)
    forbidden = planted_strings(b)
    failures = []
    after = snapshot()
    for case, values in cases(params, mine, theirs, shared):
        for method in methods:
            before = after  # what the last request left: the 405 re-ask below rolls back its own changes
            response = ask(client, method, route, values, headers)
            after = snapshot()
            body = response.content.decode(errors="replace").lower()
            where = f"{method} /{route} [{case}]"
            if response.status_code == 405:
                with transaction.atomic():
                    own = ask(client, method, route, {**values, **{p: mine[p] for p in params if p in mine}}, headers)
                    transaction.set_rollback(True)
                if own.status_code != 405:
                    failures.append(f"{where}: 405 for B's object but {own.status_code} for A's own")
            elif response.status_code != 404:
                failures.append(f"{where}: answered {response.status_code}, not 404")
            leaked = leaks(body, forbidden)
            if leaked:
                failures.append(f"{where}: the answer contains {leaked}")
            changed = [label for label in before if before[label] != after[label]]
            if changed:
                failures.append(f"{where}: changed rows in {changed}")
    assert not failures, "\n".join(failures)

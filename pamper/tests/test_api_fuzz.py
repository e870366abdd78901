"""Schemathesis fuzzes every operation of /api/v1/openapi.json: no 5xx, and every
response (errors included) matches the documented schema and content type.

Authenticated routes are called with a real customer token. The number of
examples per operation is bounded (PAMPER_FUZZ_EXAMPLES, default 20) to keep
`make test` quick; raise it locally for a deeper run. Schemathesis' coverage
phase (boundary and negative cases of every parameter, which doubles the cost
and is generated while collecting) runs when PAMPER_FUZZ_COVERAGE=1:
`PAMPER_FUZZ_COVERAGE=1 PAMPER_FUZZ_EXAMPLES=200 pytest pamper/tests/test_api_fuzz.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pamper.accounts.models import ApiToken
from pamper.tests.factories import UserFactory
from pamper.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("PAMPER_FUZZ_EXAMPLES", "20"))
schema.config.phases.coverage.enabled = os.environ.get("PAMPER_FUZZ_COVERAGE") == "1"


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open() -> Iterator[None]:
    """Like Django's test client: the in-process WSGI calls must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(db: None) -> dict[str, str]:
    user = UserFactory(email="fuzz@example.com", password="rose-petal-42", name="Fuzz")
    _, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_answers_every_generated_request_without_a_server_error(case, auth_headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(
        headers=auth_headers,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )

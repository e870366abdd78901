"""Only a locked or unreachable database is a 503 "busy, retry"; any other database error is a bug: a 500.

The routes in db_error_urls.py make the real database raise each error
behind the project's real middleware (the lock case is test_faults.py).
A 503 there would hide a bug behind "try again"; a 500 surfaces it, and
with Django's test client the exception itself reaches the test.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, ProgrammingError
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pamper.tests.db_error_urls")]

KINDS = ["syntax", "bindings", "no_table", "integrity"]


@pytest.mark.parametrize("prefix", ["/api/v1/", "/"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_database_error_that_is_not_a_lock_or_an_outage_is_a_500_not_a_503(kind: str, prefix: str) -> None:
    response = Client(raise_request_exception=False).get(f"{prefix}test-db-error/{kind}")
    assert response.status_code == 500, (kind, response.status_code, response.content[:200])
    assert "Retry-After" not in response


@pytest.mark.parametrize("kind", KINDS)
def test_the_error_itself_reaches_the_test_so_the_test_fails(kind: str) -> None:
    with pytest.raises(DatabaseError):
        Client().get(f"/api/v1/test-db-error/{kind}")


def test_a_programming_error_is_not_turned_into_a_503() -> None:
    with pytest.raises(ProgrammingError):
        Client().get("/api/v1/test-db-error/bindings")


def test_an_integrity_error_is_not_turned_into_a_503() -> None:
    # A test of its own: on PostgreSQL the error above leaves the test's transaction aborted.
    with pytest.raises(IntegrityError):
        Client().get("/test-db-error/integrity")

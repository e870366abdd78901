"""A locked database answers 503 with Retry-After and writes nothing; private pages are not cached."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from django.test import Client

from pamper.accounts.models import User
from pamper.tests.factories import UserFactory

REGISTER = {"email": "locked@example.com", "password": "rose-petal-42", "name": "Locked Out"}


@pytest.fixture
def database_locked_by_someone_else() -> Iterator[None]:
    """Another process holds the lock the request needs, and our wait is short."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # takes the write lock
        connection.close()
        connection.settings_dict["OPTIONS"]["timeout"] = 0.2
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
            connection.close()
            connection.settings_dict["OPTIONS"]["timeout"] = 20
    else:
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        other = psycopg.connect(**params, autocommit=False)
        other.execute("LOCK TABLE accounts_user IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            yield
        finally:
            other.rollback()
            other.close()
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")


@pytest.mark.django_db(transaction=True)
def test_locked_database_is_a_503_with_retry_after_and_nothing_written(database_locked_by_someone_else: None) -> None:
    response = Client().post("/api/v1/auth/register", data=json.dumps(REGISTER), content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response.json()["code"] == "unavailable"
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_after_the_lock_is_gone_the_same_request_succeeds_once() -> None:
    response = Client().post("/api/v1/auth/register", data=json.dumps(REGISTER), content_type="application/json")
    assert response.status_code == 201
    assert User.objects.filter(email=REGISTER["email"]).count() == 1


@pytest.mark.django_db
def test_responses_to_signed_in_users_are_private(client: Client) -> None:
    user = UserFactory(email="p@example.com", password="rose-petal-42", name="P")
    client.force_login(user)
    response = client.get("/healthz")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

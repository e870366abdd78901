"""Test-only routes that make the real database raise each kind of error, behind the real middleware."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pamper.accounts.models import User

STATEMENTS = {
    "syntax": ("SELEC 1", []),  # SQLite: OperationalError; PostgreSQL: ProgrammingError
    "bindings": ("SELECT %s", [1, 2]),  # ProgrammingError on both
    "no_table": ("SELECT * FROM no_such_table_here", []),  # SQLite: OperationalError; PostgreSQL: ProgrammingError
}


def fail(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == "integrity":
        User.objects.create_user(email="twice@example.com", password=None, name="Twice")
        with transaction.atomic():
            User.objects.create_user(email="twice@example.com", password=None, name="Twice")
    sql, params = STATEMENTS[kind]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return HttpResponse("unreachable")


urlpatterns = [
    path("api/v1/test-db-error/<str:kind>", fail),
    path("test-db-error/<str:kind>", fail),
]

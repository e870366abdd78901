"""Site-wide middleware: database outages become 503s, refusals their own status, private pages stay private."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError, connection
from django.db.utils import InterfaceError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext

from pamper.api_errors import is_api
from pamper.errors import Refusal
from pamper.lib.refusals import refusal_page

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


# PostgreSQL SQLSTATEs that mean "busy or unreachable, the same request may work in a moment": lock not available
# (lock_timeout), serialization failure, deadlock, too many connections, the server shutting down or starting up.
# Class 08 (connection exceptions) is matched by its prefix.
RETRY_SQLSTATES = {"55P03", "40001", "40P01", "53300", "57P01", "57P02", "57P03"}
# SQLite result codes (by name; extended codes start with these) for a locked or unopenable database.
RETRY_SQLITE_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN")


def is_unavailable(exc: BaseException) -> bool:
    """True only for a locked, busy or unreachable database: what a retry may cure.

    A syntax error, a missing table or column, a constraint or data error
    is a bug, never "busy": those stay exceptions (a 500 that fails the
    tests). SQLite reports syntax errors as OperationalError too, hence the
    look at the driver's own error under Django's.
    """
    if isinstance(exc, InterfaceError):  # the connection is gone
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None)
    if state is not None:
        return state in RETRY_SQLSTATES or state.startswith("08")
    name = getattr(cause, "sqlite_errorname", None)
    if name is not None:
        return name.startswith(RETRY_SQLITE_ERRORS)
    # PostgreSQL refusing or dropping the connection has no SQLSTATE (psycopg.OperationalError itself).
    return type(cause).__module__.startswith("psycopg") and type(cause).__name__ == "OperationalError"


class DatabaseUnavailableMiddleware:
    """A locked or unreachable database answers 503 with Retry-After, never a 500; any other database error is a bug.

    The request's transaction (if any) has already been rolled back by Django
    when the exception reaches here, so nothing is half written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        connection.close_if_unusable_or_obsolete()
        message = gettext("The service is busy for a moment. Please try again in a few seconds.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"code": "unavailable", "message": message}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


class RefusalPageMiddleware:
    """A Refusal that leaves a page view is answered with its status and sentence (pamper.lib.refusals), not a
    500. The API translates its own (pamper.api); a view that shows a form puts it on the form instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refusal) or is_api(request):
            return None
        return refusal_page(request, exception)


class PrivateCacheMiddleware:
    """Responses to signed-in users (or carrying a session) are never stored by shared caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.headers.get("Authorization") or response.cookies:
            patch_cache_control(response, private=True, no_store=True)
        return response

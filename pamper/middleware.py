"""Site-wide middleware: database outages become 503s, refusals their own status, private pages stay private,
text holding a NUL character is refused before it reaches a view."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.db.utils import InterfaceError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext

from pamper.api_errors import is_api
from pamper.errors import Refusal
from pamper.lib.refusals import page_for_bare_error, refusal_page

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
    500; an error answer with no body (Django's 405 for a form address opened directly) gets the site's page for
    its status. The API translates its own (pamper.api, pamper.api_errors); a view that shows a form puts a
    refusal on the form instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        return response if is_api(request) else page_for_bare_error(request, response)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refusal) or is_api(request):
            return None
        return refusal_page(request, exception)


NUL = "\x00"


def _nul_fields(value: Any, where: tuple[str, ...] = ()) -> Iterator[str]:
    """The dotted names of the values (or keys) in a parsed JSON body that hold a NUL character."""
    if isinstance(value, str):
        if NUL in value:
            yield ".".join(where) or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield ".".join((*where, key))
            yield from _nul_fields(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, (*where, str(index)))


def _nul_params(params: QueryDict) -> list[str]:
    """The names of the query-string or form parameters whose name or a value holds a NUL character."""
    return [key for key, values in params.lists() if NUL in key or any(NUL in v for v in values)]


def nul_fields(request: HttpRequest) -> list[str]:
    """Where a request's text holds a NUL character: the query string, a form's fields, or a JSON body.

    A body is read only when small enough to be read at all: a larger one is the view's 413 to give.
    """
    found = _nul_params(request.GET)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return found
    if request.method == "GET" or not 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return found
    if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        found += _nul_params(request.POST)
    elif request.content_type == "application/json" and b"\\u0000" in request.body:
        with contextlib.suppress(ValueError):  # not JSON after all: the API says so in its own words
            found += list(_nul_fields(json.loads(request.body)))
    return found


class RefuseNulMiddleware:
    """Text holding a NUL character (\\0) is refused, 422 on the API (the usual error shape, per field) and 400 on
    pages. PostgreSQL cannot store or even compare such text, so it reached views, forms and queries only to
    become a 500 ("text fields cannot contain NUL"): a search of the workspace's clients, a booking's notes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = nul_fields(request)
        if not fields:
            return self.get_response(request)
        message = gettext("Text cannot hold a NUL character.")
        if is_api(request):
            errors = [{"field": field, "message": message} for field in fields]
            return JsonResponse({"code": "invalid", "message": f"{fields[0]}: {message}", "errors": errors},
                                status=422)
        return refusal_page(request, Refusal(400, "invalid", message))


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

"""Site-wide middleware: database outages become 503s, private pages stay private."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError, connection
from django.db.utils import InterfaceError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """A locked or unreachable database answers 503 with Retry-After, never a 500.

    The request's transaction (if any) has already been rolled back by Django
    when the exception reaches here, so nothing is half written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        connection.close_if_unusable_or_obsolete()
        message = "The service is busy for a moment. Please try again in a few seconds."
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"code": "unavailable", "message": message}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


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

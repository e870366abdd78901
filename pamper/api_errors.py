"""The API's error answer, {"code", "message"}, for errors made outside the API's own handlers.

pamper.api translates what its operations raise. Other answers under /api/
come from the framework: ninja's 405 for a method a path does not take,
Django's 400 (bad Host header, too many fields), 403, 404 and 500 handlers,
and any middleware that answers early. `ApiErrorShapeMiddleware`, first in
MIDDLEWARE so it sees every answer, turns any of them that is not JSON into
the same shape, keeping the status and headers (Allow, Retry-After ...). It
deliberately looks at the answer rather than at each source, so an error
source added later is covered too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext_lazy

API_PREFIX = "/api/"

# status: (code, message) for answers that arrive without a code of their own.
# Messages are lazy: read in the request's language.
ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    401: ("unauthorized", gettext_lazy("Sign in, or send a valid bearer token.")),
    403: ("forbidden", gettext_lazy("Not allowed.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    406: ("not_acceptable", gettext_lazy("This API answers JSON only.")),
    413: ("too_large", gettext_lazy("The request body is too large.")),
    415: ("unsupported_media_type", gettext_lazy("Send the body as JSON.")),
    429: ("rate_limited", gettext_lazy("Too many requests: try again later.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side.")),
    503: ("unavailable", gettext_lazy("The service is busy for a moment. Please try again in a few seconds.")),
}
# Headers of the replaced answer that describe the body it had, not the error.
BODY_HEADERS = {"content-type", "content-length", "content-encoding", "content-language", "content-disposition", "etag",
                "last-modified"}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def code_for(status: int) -> str:
    """The machine-readable code for a status with none of its own ("error" for an unusual one)."""
    return ERRORS.get(status, ("error", ""))[0]


def error_response(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    """{"code", "message"} with `status`; the code and message default to the status's usual ones."""
    default_code, default_message = ERRORS.get(status, ("error", gettext_lazy("The request failed.")))
    return JsonResponse({"code": code or default_code, "message": str(message or default_message)}, status=status)


def _message(request: HttpRequest, response: HttpResponseBase) -> str | None:
    if response.status_code == 405 and response.has_header("Allow"):
        return f"{request.method} is not allowed here; this path takes {response['Allow']}."
    return None


def as_json_error(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """The same error as JSON: `response` itself when it already is JSON, a new answer with its headers otherwise."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    replacement = error_response(response.status_code, message=_message(request, response))
    for name, value in response.items():
        if name.lower() not in BODY_HEADERS:
            replacement[name] = value
    replacement.cookies = response.cookies
    if response.streaming:
        # A streamed or file answer gives back what it holds. Not for a plain one: close() also sends
        # request_finished, which would close the database connection under a request still being served.
        response.close()
    return replacement


class ApiErrorShapeMiddleware:
    """Every error answer (4xx, 5xx) under /api/ leaves as {"code", "message"}; pages and successes are untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase | HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        return as_json_error(request, response)

"""The JSON API under /api/v1/: one NinjaAPI, a router per app, one error shape.

Every error is {"code": "...", "message": "..."} with a 4xx status; validation
errors add "errors" with the field details. The handlers below translate what
operations raise; errors made around them (ninja's 405, Django's 400/404/500,
middleware) get the same shape from pamper.api_errors.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import get_language, gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from pamper.accounts.api import router as accounts
from pamper.accounts.two_factor import TwoFactorRequired
from pamper.api_errors import code_for
from pamper.bookings.api import router as bookings
from pamper.catalog.api import router as catalog
from pamper.clinical.api import router as clinical
from pamper.errors import ErrorOut, Refusal, refusal_shown
from pamper.lib import schema_messages
from pamper.lib.http import json_response
from pamper.notifications.api import router as notifications
from pamper.partner.api import router as partner
from pamper.payments.api import router as payments
from pamper.payments.api_partner import router as partner_payments
from pamper.reviews.api import router as reviews
from pamper.search.api import router as search
from pamper.venues.api import router as venues

# The one error schema (pamper.errors.ErrorOut), declared on every operation's 4XX and 503 answers.
ERROR_SCHEMA = ErrorOut.model_json_schema()


def _head_as_get(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view answering HEAD as its GET: the server sends the same status and headers without the body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"  # what comes after (the server dropping the body, the logs) sees a HEAD

    return wrapper


class PamperAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the error shape on every operation."""

    _openapi_cache: ClassVar[dict[tuple[str | None, str | None], dict]] = {}

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        """Every path as ninja routes it, and HEAD answered wherever GET is (RFC 9110 asks it of every server;
        ninja answered 405, so a monitor or link checker asking HEAD of /api/v1/treatments was refused)."""
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _head_as_get(pattern.callback)
        return urls

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):  # type: ignore[no-untyped-def]
        """The document is built once per prefix and language (routes are fixed once the URLconf is loaded;
        building it walks every pydantic model, about a second) and handed out as a copy."""
        if path_params:
            return self._build_openapi_schema(path_prefix, path_params)
        key = (path_prefix, get_language())
        if key not in self._openapi_cache:
            self._openapi_cache[key] = self._build_openapi_schema(path_prefix, None)
        return copy.deepcopy(self._openapi_cache[key])

    def _build_openapi_schema(self, path_prefix: str | None, path_params: dict | None) -> dict:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("4XX", {"description": "Bad request, not found, conflict or rate limit", **error})
                responses.setdefault("503", {"description": "Database busy: retry after Retry-After seconds", **error})
        return schema


api = PamperAPI(
    title="Pamper API",
    version="1",
    description="Search treatments and venues, read guides, check availability and book.",
    urls_namespace="api",
)


def error_response(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return json_response({"code": code, "message": message, **extra}, status=status)


@api.exception_handler(Refusal)
def _api_error(request: HttpRequest, exc: Refusal) -> HttpResponse:
    refusal_shown.send(sender=Refusal, refusal=exc)
    response = error_response(request, exc.status, exc.code, exc.message, **exc.extra)
    if exc.status == 429 and exc.extra.get("retry_after"):
        response["Retry-After"] = str(exc.extra["retry_after"])
    return response


def _field(loc: tuple[Any, ...]) -> str:
    """The field an error is about as the client sent it: ("query", "limit") is "limit"; in a body, ninja puts the
    view's parameter name first (("body", "data", "email")), which is ours, not the client's: "email"."""
    parts = list(loc[2:] if loc[:1] == ("body",) and len(loc) > 2 else loc[1:])
    return ".".join(str(p) for p in parts) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if any(e.get("type") == "json_invalid" for e in exc.errors) or any(
            not e.get("loc", ())[1:] and "JSON" in str(e.get("msg", "")) for e in exc.errors):
        return error_response(request, 400, "malformed_json", gettext("The request body is not valid JSON."))
    errors = [{"field": _field(e.get("loc", ())), "message": schema_messages.say(e)} for e in exc.errors]
    first = errors[0] if errors else {"field": "body", "message": gettext("This value is not valid.")}
    return error_response(request, 422, "invalid", f"{first['field']}: {first['message']}", errors=errors)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthorized", gettext("Sign in, or send a valid bearer token."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = code_for(exc.status_code)
    response = error_response(request, exc.status_code, code, str(exc.message) if hasattr(exc, "message") else str(exc))
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(max(1, round(exc.wait or 1)))
    return response


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_response(
        request, 413, "too_large", gettext("The request body is larger than %(limit)s MB.") % {"limit": limit}
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", gettext("Not found."))


@api.exception_handler(TwoFactorRequired)
def _two_factor(request: HttpRequest, exc: TwoFactorRequired) -> HttpResponse:
    return error_response(
        request,
        403,
        "two_factor_required",
        gettext(
            "%(exc)s Use a token made after two-factor sign-in (POST /api/v1/auth/token with the code, or the "
            "API tokens page in a verified session)."
        )
        % {"exc": exc},
    )


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc) or gettext("Not allowed."))


# Each app owns its router in <app>/api.py; the order sets the docs' order.
for _router in (
    accounts,
    catalog,
    search,
    venues,
    bookings,
    payments,
    clinical,
    reviews,
    notifications,
    partner,
    partner_payments,
):
    api.add_router("", _router)

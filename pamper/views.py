"""Site-wide views: error pages and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.csrf import csrf_failure as django_csrf_failure

from pamper.api_errors import error_response, is_api


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):  # no page to render for the API (its middleware would only replace it)
        return error_response(404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: the API's error shape under /api/ (a signed-in session must send the token), Django's
    page elsewhere."""
    if is_api(request):
        return error_response(403, "csrf_failed", "Send the CSRF token (X-CSRFToken header) with a signed-in "
                              "session, or use a bearer token.")
    return django_csrf_failure(request, reason)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

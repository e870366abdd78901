"""Site-wide views: error pages and the health check."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import get_language_from_path, gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from pamper.accounts import actions as accounts_actions
from pamper.api_errors import error_response, is_api
from pamper.errors import Refusal
from pamper.lib.languages import supported
from pamper.lib.refusals import error_page, refusal_page


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):  # no page to render for the API (its middleware would only replace it)
        return error_response(404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(400) if is_api(request) else error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(403) if is_api(request) else error_page(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: the API's error shape under /api/ (a signed-in session must send the token); on
    pages, what most likely happened (a form left open while the session changed) and what to do."""
    if is_api(request):
        return error_response(403, "csrf_failed", gettext("Send the CSRF token (X-CSRFToken header) with a "
                                                              "signed-in session, or use a bearer token."))
    return refusal_page(request, Refusal(403, "csrf_failed", gettext(
        "This form has expired: it was open for a long time, or you signed in or out in another tab. Go back, "
        "reload the page and send it again.")))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: back to the same page in the chosen language (Django's set_language, which also
    sets the language cookie), and for a signed-in person the language of their emails and reminders."""
    # `next` is resolved in its own language (a /fr/ path only resolves while French is active).
    with translation.override(get_language_from_path(request.POST.get("next", "")) or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and supported(language) == language:
        accounts_actions.set_language(user=request.user, language=language)
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (no database, no cache: a restart would not cure those). /readyz checks them."""
    return JsonResponse({"status": "ok"})

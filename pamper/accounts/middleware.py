"""Pages that need a second factor send the person to give one, then back."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .two_factor import TwoFactorRequired


class TwoFactorRequiredMiddleware:
    """Turns TwoFactorRequired raised by a page into a redirect: to the code prompt, or to set-up for someone
    with no authenticator app yet. The API has its own handler (a 403 with code two_factor_required)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired) or request.path.startswith("/api/"):
            return None
        messages.warning(request, str(exception))
        target = "accounts:verify" if exception.has_device else "accounts:two_factor"
        query = "?" + urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        url = reverse(target) + query
        if getattr(request, "htmx", False):  # a fragment request: have htmx load the whole page instead
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

"""Test-only pages that raise a Refusal no view catches, behind the real middleware and the site's URLs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pamper import urls as site_urls
from pamper.errors import Refusal


def refuse(request: HttpRequest) -> HttpResponse:
    raise Refusal(409, "slot_taken", "That time has just been taken.", alternatives=[])


urlpatterns = [
    path("test-refusal/", refuse),
    *site_urls.urlpatterns,  # base.html links to the site's pages (i18n_patterns cannot be included)
]

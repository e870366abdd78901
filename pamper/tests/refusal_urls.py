"""Test-only pages that raise a Refusal no view catches, behind the real middleware and the site's URLs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from pamper.errors import Refusal


def refuse(request: HttpRequest) -> HttpResponse:
    raise Refusal(409, "slot_taken", "That time has just been taken.", alternatives=[])


urlpatterns = [
    path("test-refusal/", refuse),
    path("", include("pamper.urls")),  # base.html links to the site's pages
]

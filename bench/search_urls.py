"""URLs for the search benchmark: Pamper's, plus /bench/ping, the trivial JSON view it compares against."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/ping", ping),
    path("", include("pamper.urls")),
]

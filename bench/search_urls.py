"""URLs for the benchmarks' server: Pamper's, plus /bench/ping, the trivial JSON view they compare against.

Pamper's own patterns are spliced in rather than included: its pages sit under i18n_patterns, which Django allows
only in the root URLconf (an `include` of them stops the server at start-up).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from pamper import urls as pamper_urls


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping", ping), *pamper_urls.urlpatterns]

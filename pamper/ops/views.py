"""The operator's endpoints: /readyz (readiness as JSON) and /metrics (Prometheus, for configured addresses or a
token only). /healthz (liveness: the process answers) is pamper.views.healthz."""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pamper.ops import metrics as pamper_metrics
from pamper.ops.readiness import readiness


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 with every check when this process can serve; 503 when the primary, the cache or the storage fails."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


@cache
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in allowed)


def may_scrape(request: HttpRequest) -> bool:
    """True with the right bearer token, or from an allowed address when no proxy stands between (a request
    with X-Forwarded-For came through one, and the proxy's own loopback address says nothing about the client)."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format; 403 to anyone else."""
    if not may_scrape(request):
        return HttpResponse("Forbidden: /metrics answers the configured addresses or METRICS_TOKEN only.\n",
                            status=403, content_type="text/plain")
    return HttpResponse(generate_latest(pamper_metrics.registry()), content_type=CONTENT_TYPE_LATEST)

"""Per-client request limits on registration, booking and search (pages and API).

Sign-in has its own failure-counting limiter (pamper.accounts.ratelimit). This
module adds fixed-window counters in the cache for the other routes people or
scripts could hammer, keyed by client: the signed-in user, else a hash of the
bearer token, else the network address (REMOTE_ADDR; X-Forwarded-For only
when settings.NINJA_NUM_PROXIES says how many proxies to trust). Over the
limit the answer is 429 with Retry-After: the API's error shape on /api/,
a short page elsewhere. The API-wide ninja throttles in pamper.api use the
switchable classes below.

settings.RATE_LIMITS turns all of it off (benchmarks, and the test suite
except the tests that switch it on). With the local-memory cache every
process counts on its own; production shares counts through CACHE_URL.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rule:
    scope: str  # counters are shared by every route of a scope
    names: frozenset[str]  # URL names, "namespace:name"
    methods: frozenset[str]
    rate: str  # "30/m": requests per second (s), minute (m), hour (h) or day (d)
    applies: Callable[[HttpRequest], bool] = field(default=lambda request: True)

    @property
    def limit(self) -> int:
        return int(self.rate.split("/")[0])

    @property
    def window(self) -> int:
        return PERIODS[self.rate.split("/")[1][0]]


def _signing_up(request: HttpRequest) -> bool:
    return request.POST.get("mode") == "signup"


RULES = [
    Rule("signup", frozenset({"accounts:signup"}), frozenset({"POST"}), "10/h"),
    Rule("signup", frozenset({"bookings:signin"}), frozenset({"POST"}), "10/h", _signing_up),
    Rule("booking", frozenset({"bookings:hold", "bookings:checkout", "bookings:reschedule", "api:create_booking",
                               "api:reschedule", "api:book_consultation_and_treatment", "clinical:checkout"}),
         frozenset({"POST"}), "30/m"),
    Rule("search", frozenset({"search:search", "api:search"}), frozenset({"GET"}), "120/m"),
]


def client_id(request: HttpRequest) -> str:
    """Who is asking: the user, the bearer token (hashed) or the network address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    header = request.headers.get("Authorization", "")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return f"addr:{BaseThrottle().get_ident(request) or 'unknown'}"


def hit(scope: str, who: str, limit: int, window: int, now: float) -> int:
    """Count one request; 0 when allowed, else the seconds until the window ends."""
    bucket = int(now // window)
    key = f"rl:{scope}:{hashlib.sha256(who.encode()).hexdigest()[:32]}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return 0 if count <= limit else max(1, (bucket + 1) * window - int(now))


def refused(request: HttpRequest, wait: int) -> HttpResponse:
    message = f"Too many requests. Please wait {wait} second{'s' if wait != 1 else ''} and try again."
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": "rate_limited", "message": message}, status=429)
    else:
        response = HttpResponse(loader.render_to_string("429.html", {"message": message}, request), status=429)
    response["Retry-After"] = str(wait)
    return response


class RateLimitMiddleware:
    """Applies RULES to the resolved view (after authentication, so signed-in users count as themselves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> HttpResponse | None:
        match = request.resolver_match
        if not settings.RATE_LIMITS or match is None:
            return None
        for rule in RULES:
            if match.view_name in rule.names and request.method in rule.methods and rule.applies(request):
                wait = hit(rule.scope, client_id(request), rule.limit, rule.window, time.time())
                if wait:
                    return refused(request, wait)
        return None


class _Switchable(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        return not settings.RATE_LIMITS or super().allow_request(request)


class AnonThrottle(_Switchable, AnonRateThrottle):
    """ninja's AnonRateThrottle, off when settings.RATE_LIMITS is off."""


class AuthThrottle(_Switchable, AuthRateThrottle):
    """ninja's AuthRateThrottle, off when settings.RATE_LIMITS is off."""

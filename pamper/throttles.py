"""Per-client request limits on sign-up, token exchange, password-reset emails, booking, search, reviews and the API
(pages and API).

One limiter for all of them: RateLimitMiddleware applies RULES to the resolved
view, for pages and API operations alike (the API declares no ninja throttles,
which would keep counters of their own and ignore the switch). Each rule is one
bucket: sign-up, token exchange, search, booking, reviewing and API browsing are
counted apart, so browsing never spends the sign-up budget.

Who is counted: a valid session or bearer token counts against its user, so
more tokens or more addresses open no new bucket; anything else, a made-up
Authorization header included, counts against the network address
(REMOTE_ADDR; X-Forwarded-For only when settings.NINJA_NUM_PROXIES says how
many proxies to trust). Sign-up and token exchange always count the address:
each new account's token would otherwise open the next bucket.

Counters are fixed windows aligned to the clock (an hourly limit resets on the
hour), so Retry-After is exactly the time left in the window. Over the limit
the answer is 429: the API's error shape on /api/, a short page elsewhere.

Sign-in failures have their own counters (pamper.accounts.lockout): a lockout,
not a request rate, and always on. settings.RATE_LIMITS (PAMPER_RATE_LIMITS)
switches off every limit here (benchmarks, and the test suite except the tests
that switch it on). With the local-memory cache every process counts on its
own; production shares counts through CACHE_URL.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import ngettext
from ninja.throttling import BaseThrottle

from pamper.accounts.models import ApiToken

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
EVERY_API_OPERATION = "api:*"


def _parse(rate: str) -> tuple[int, int]:
    """"30/m" -> (30, 60): requests per second (s), minute (m), hour (h) or day (d)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


@dataclass(frozen=True)
class Route:
    """Requests that count against a rule: URL names ("namespace:name", or "api:*") and methods (empty: all)."""

    names: frozenset[str]
    methods: frozenset[str] = frozenset()
    applies: Callable[[HttpRequest], bool] = field(default=lambda request: True)

    def covers(self, view_name: str, request: HttpRequest) -> bool:
        named = view_name in self.names or (EVERY_API_OPERATION in self.names and view_name.startswith("api:"))
        return named and (not self.methods or request.method in self.methods) and self.applies(request)


@dataclass(frozen=True)
class Rule:
    """One limit with its own bucket per client."""

    scope: str  # names the bucket; no two rules share one
    rate: str  # for anonymous clients (and everyone when by_address)
    routes: tuple[Route, ...]
    signed_in_rate: str | None = None  # for a valid session or token, when it differs
    by_address: bool = False  # count the address even for a signed-in client

    @property
    def limit(self) -> int:
        return _parse(self.rate)[0]

    @property
    def window(self) -> int:
        return _parse(self.rate)[1]

    def covers(self, view_name: str, request: HttpRequest) -> bool:
        return any(route.covers(view_name, request) for route in self.routes)


def _signing_up(request: HttpRequest) -> bool:
    return request.POST.get("mode") == "signup"


def _posts(*names: str) -> Route:
    return Route(frozenset(names), frozenset({"POST"}))


RULES = [
    Rule("signup", "10/h", (_posts("accounts:signup", "api:register"),
                            Route(frozenset({"bookings:signin"}), frozenset({"POST"}), _signing_up)), by_address=True),
    Rule("token", "30/m", (_posts("api:token"),), by_address=True),
    # Each press of Send mails a reset link to the address typed (also capped per recipient: accounts.forms).
    Rule("password_reset", "10/h", (_posts("accounts:password_reset"),), by_address=True),
    Rule("booking", "30/m", (_posts("bookings:hold", "bookings:checkout", "bookings:reschedule", "api:create_booking",
                                    "api:reschedule", "api:book_consultation_and_treatment", "clinical:checkout"),)),
    Rule("search", "120/m", (Route(frozenset({"search:search", "api:search"}), frozenset({"GET"})),)),
    Rule("review", "30/m", (_posts("api:create_review"),)),
    Rule("browse", "600/m", (Route(frozenset({EVERY_API_OPERATION})),), signed_in_rate="1200/m"),
]


class Client:
    """Who is asking, worked out at most once per request and only when a rule applies."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def address(self) -> str:
        return f"addr:{BaseThrottle().get_ident(self.request) or 'unknown'}"

    @cached_property
    def user_id(self) -> int | None:
        """The user of a valid session or bearer token; None when anonymous or the credential is not valid."""
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return int(user.pk)
        scheme, _, raw = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        token = ApiToken.lookup(raw.strip())
        return token.user_id if token is not None else None

    def bucket(self, rule: Rule) -> tuple[str, int, int]:
        """(who, limit, window) for the rule: the user when signed in and the rule allows, else the address."""
        if rule.by_address or self.user_id is None:
            return (self.address, *_parse(rule.rate))
        return (f"user:{self.user_id}", *_parse(rule.signed_in_rate or rule.rate))


def hit(scope: str, who: str, limit: int, window: int, now: float) -> int:
    """Count one request; 0 when allowed, else the whole seconds until the window ends (at least 1)."""
    bucket = int(now // window)
    key = f"rl:{scope}:{hashlib.sha256(who.encode()).hexdigest()[:32]}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    # (bucket + 1) * window - floor(now) is the time left rounded up, so a client waiting that long gets in.
    return 0 if count <= limit else max(1, (bucket + 1) * window - int(now))


def refused(request: HttpRequest, wait: int) -> HttpResponse:
    message = ngettext("Too many requests. Please wait %(count)s second and try again.",
                       "Too many requests. Please wait %(count)s seconds and try again.", wait) % {"count": wait}
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
        client, now = Client(request), time.time()
        for rule in RULES:
            if rule.covers(match.view_name, request):
                wait = hit(rule.scope, *client.bucket(rule), now)
                if wait:
                    return refused(request, wait)
        return None

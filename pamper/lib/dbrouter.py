"""Reads that can be a moment stale go to the read replica; everything else, and every write, to the primary.

DATABASE_REPLICA_URL adds the `replica` alias (settings.py) and this router. A request may read from the replica
when all of these hold:
- it is a GET or HEAD on one of REPLICA_ROUTES: search, guides and treatments, venue pages, free slots;
- the person has not written in the last READ_YOUR_WRITES_SECONDS (ReadYourWritesMiddleware: after any POST,
  PUT, PATCH or DELETE a cookie, and for bearer-token clients a cache flag, keep them on the primary, so the
  booking they just made shows on the next page even if the replica is a second behind);
- the replica answers and is at most REPLICA_MAX_LAG_SECONDS behind (asked at most every REPLICA_CHECK_SECONDS
  per process; pamper.lib.replica). A lagging or unreachable replica means the primary, never an error.
Outside a request (tasks, commands) everything uses the primary.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from pamper.lib import replica

REPLICA_ROUTES = frozenset({
    "api:search", "search:search", "api:list_places",
    "api:get_treatment", "api:list_treatments", "catalog:index", "catalog:category", "catalog:detail",
    "api:venue_by_slug", "api:venue_by_id", "venues:detail", "venues:home",
    "api:availability", "api:list_reviews", "reviews:venue_reviews",
})
COOKIE = "pamper_primary"
SAFE = {"GET", "HEAD", "OPTIONS"}

_replica_ok: ContextVar[bool] = ContextVar("pamper_replica_ok", default=False)
_health: dict[str, float] = {"checked": -1e9, "healthy": 0.0}


def replica_healthy() -> bool:
    """The replica answers and is not too far behind (cached per process for REPLICA_CHECK_SECONDS)."""
    now = time.monotonic()
    if now - _health["checked"] >= settings.REPLICA_CHECK_SECONDS:
        lag = replica.lag_seconds()
        _health["healthy"] = float(lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS)
        _health["checked"] = now
    return bool(_health["healthy"])


def forget_health() -> None:
    """Ask the replica again at the next read (tests, and after a failover)."""
    _health["checked"] = -1e9


class ReplicaRouter:
    """Sends reads to `replica` while the current request may use it (see the module's rules)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_ok.get() and replica.configured() and replica_healthy():
            return replica.ALIAS
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != replica.ALIAS  # the replica follows the primary's schema by replication


def _writer_key(request: HttpRequest) -> str | None:
    token = request.headers.get("Authorization")
    return "pamper:wrote:" + hashlib.sha256(token.encode()).hexdigest() if token else None


def _mark_writer(key: str, seconds: int) -> None:
    """Flag a bearer token as a writer for at least `seconds` from now, writing the cache at most every
    `seconds` / 2: each flag lasts 1.5 x `seconds` from when it was set (a cache write per authenticated write
    cost as much as a statement, and a client writing again and again set the same flag each time)."""
    if seconds <= 0:
        return
    now = time.time()
    stamped = cache.get(key)
    if isinstance(stamped, float) and now - stamped < seconds / 2:
        return
    cache.set(key, now, seconds * 3 // 2 + 1)


class ReadYourWritesMiddleware:
    """Decides per request whether reads may use the replica, and marks writers to stay on the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica.configured():  # one database: nothing to route, so no cookie and no cache flag to keep
            request.may_use_replica = False  # type: ignore[attr-defined]
            return self.get_response(request)
        if request.method not in SAFE:
            _replica_ok.set(False)
            response = self.get_response(request)
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
            key = _writer_key(request)
            if key:
                _mark_writer(key, seconds)
            return response
        key = _writer_key(request)
        wrote = COOKIE in request.COOKIES or bool(key and cache.get(key))
        token = _replica_ok.set(False)
        request.may_use_replica = not wrote  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            _replica_ok.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        allowed = getattr(request, "may_use_replica", False) and match is not None and match.view_name in REPLICA_ROUTES
        request.replica_allowed = bool(allowed)  # type: ignore[attr-defined]
        _replica_ok.set(bool(allowed))

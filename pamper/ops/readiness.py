"""What /readyz checks: can this web process serve requests, and what is degraded.

Each check answers {"ok": bool, "ms": time taken, ...details}. The primary database, the cache and the file
storage are required: any of them failing makes /readyz answer 503 so the load balancer stops sending traffic
here. The replica and the task worker are reported but do not fail readiness: reads fall back to the primary
when the replica lags or is down, and a stopped worker delays emails, not pages.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from pamper.lib import replica, storage

HEARTBEAT_KEY = "pamper:worker-heartbeat"
PROBE_FOLDER = "health"


def _primary() -> dict[str, Any]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _replica() -> dict[str, Any]:
    if not replica.configured():
        return {"configured": False}
    lag = replica.lag_seconds()
    if lag is None:
        return {"ok": False, "configured": True, "error": "unreachable or not a replica: reads go to the primary"}
    return {"ok": lag <= settings.REPLICA_MAX_LAG_SECONDS, "configured": True, "lag_seconds": round(lag, 3)}


def _cache() -> dict[str, Any]:
    key, value = f"pamper:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    found = cache.get(key)
    cache.delete(key)
    return {} if found == value else {"ok": False, "error": "a value written to the cache did not come back"}


def _worker() -> dict[str, Any]:
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return {"ok": False, "error": "no task worker has run the heartbeat (is `pamper db_worker` running?)"}
    age = time.time() - float(beat)
    return {"ok": age <= settings.WORKER_STALE_SECONDS, "last_seen_seconds": round(age, 1)}


def _storage() -> dict[str, Any]:
    name = storage.unique_name(PROBE_FOLDER, ".probe")
    storage.write(name, b"ok")
    try:
        same = storage.read(name) == b"ok"
    finally:
        storage.delete(name)
    return {} if same else {"ok": False, "error": "a file written to the storage did not read back"}


REQUIRED: dict[str, Callable[[], dict[str, Any]]] = {"primary": _primary, "cache": _cache, "storage": _storage}
REPORTED: dict[str, Callable[[], dict[str, Any]]] = {"replica": _replica, "worker": _worker}


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # any failure of a dependency is an answer here, not a 500
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {**result, "ms": round((time.perf_counter() - started) * 1000, 1)}


def readiness() -> tuple[bool, dict[str, Any]]:
    """(ready, the JSON body): ready when every required check passes; "degraded" when a reported one fails."""
    checks = {name: _run(check) for name, check in {**REQUIRED, **REPORTED}.items()}
    ready = all(checks[name]["ok"] for name in REQUIRED)
    degraded = not all(checks[name]["ok"] for name in REPORTED)
    status = "ok" if ready and not degraded else ("degraded" if ready else "fail")
    return ready, {"status": status, "checks": checks}

"""Sign-in attempt limits: counters in the cache, per account and per address.

Failed attempts are counted in fixed windows. While either counter is at its
limit, sign-in is refused before the password is even checked, so guessing
cannot continue at full speed; a successful sign-in clears the account's
counter. The cache is shared between processes in production (Redis through
CACHE_URL); with the local-memory cache each process counts on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""  # "account" or "address" when refused
    retry_after: int = 0  # seconds until the window ends


def _bucket(now: float) -> int:
    return int(now // WINDOW_SECONDS)


def retry_after(now: float) -> int:
    """Seconds left in the current window (at least 1)."""
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))


def _key(kind: str, value: str, now: float) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"signin:{kind}:{digest}:{_bucket(now)}"


def check(*, email: str, address: str, now: float) -> Verdict:
    """Whether a sign-in attempt for this email from this address may be tried now."""
    counts = cache.get_many([_key("account", email, now), _key("address", address, now)])
    if counts.get(_key("account", email, now), 0) >= MAX_PER_ACCOUNT:
        return Verdict(False, "account", retry_after(now))
    if counts.get(_key("address", address, now), 0) >= MAX_PER_ADDRESS:
        return Verdict(False, "address", retry_after(now))
    return Verdict(True)


def _incr(key: str) -> None:
    # add() is a no-op when the key exists; incr() is atomic on Redis and locmem.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)


def record_failure(*, email: str, address: str, now: float) -> None:
    """Count one failed attempt against the account and the address."""
    if email:
        _incr(_key("account", email, now))
    _incr(_key("address", address, now))


def record_success(*, email: str, now: float) -> None:
    """A correct password clears the account's counter (the address keeps its count)."""
    cache.delete(_key("account", email, now))

"""Sign-in attempt limits: counters in the cache, per account and per address.

Failed attempts are counted in fixed windows, and a check adds the previous
window's count to the current one, so guesses cannot double up across a window
boundary. While either total is at its limit, sign-in is refused before the password is even checked, so guessing
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


def _key(kind: str, value: str, bucket: int) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"signin:{kind}:{digest}:{bucket}"


def _counts(kind: str, value: str, now: float) -> tuple[int, int]:
    """(previous window, current window) failures."""
    bucket = _bucket(now)
    found = cache.get_many([_key(kind, value, bucket - 1), _key(kind, value, bucket)])
    return found.get(_key(kind, value, bucket - 1), 0), found.get(_key(kind, value, bucket), 0)


def _verdict(kind: str, value: str, limit: int, now: float) -> Verdict | None:
    previous, current = _counts(kind, value, now)
    if previous + current < limit:
        return None
    # Failures of this window still count during the next one.
    wait = retry_after(now) + (WINDOW_SECONDS if current >= limit else 0)
    return Verdict(False, kind, wait)


def check(*, email: str, address: str, now: float) -> Verdict:
    """Whether a sign-in attempt for this email from this address may be tried now."""
    return (_verdict("account", email, MAX_PER_ACCOUNT, now) or _verdict("address", address, MAX_PER_ADDRESS, now)
            or Verdict(True))


def _incr(key: str) -> None:
    # add() is a no-op when the key exists; incr() is atomic on Redis and locmem.
    cache.add(key, 0, timeout=2 * WINDOW_SECONDS + 5)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * WINDOW_SECONDS + 5)


def record_failure(*, email: str, address: str, now: float) -> None:
    """Count one failed attempt against the account and the address."""
    if email:
        _incr(_key("account", email, _bucket(now)))
    _incr(_key("address", address, _bucket(now)))


def record_success(*, email: str, now: float) -> None:
    """A correct password clears the account's counters (the address keeps its count)."""
    bucket = _bucket(now)
    cache.delete_many([_key("account", email, bucket - 1), _key("account", email, bucket)])

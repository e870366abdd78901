"""The landing pages' cache: an entry is valid while the versions it was built under still hold.

Every entry records the version of each thing it shows (the treatment, each
venue, the town list). A venue write (venue_changed), a rating rebuild or a
catalogue write bumps the versions concerned (receivers.py), so the next read
sees a stale entry and builds it again: a venue that stops offering a
treatment leaves its landing pages at once. The time limit keeps the next free
slots fresh, which change with every booking.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

ENTRY_SECONDS = 300  # the next free slots shown are at most this old
VERSION_SECONDS = 7 * 24 * 3600
T = TypeVar("T")


def version_key(kind: str, object_id: int | str) -> str:
    return f"seo:v:{kind}:{object_id}"


def _set(keys: list[str]) -> None:
    stamp = time.time_ns()
    cache.set_many({key: stamp for key in keys}, VERSION_SECONDS)


def bump(keys: Iterable[str]) -> None:
    """Make every entry built under these keys stale (in this process and every other sharing the cache).

    Now, and again when the write commits: a page rebuilt by another request in between read the old rows.
    """
    keys = list(keys)
    _set(keys)
    transaction.on_commit(lambda: _set(keys))


def _current(keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    found = cache.get_many(keys)
    return {key: found.get(key, 0) for key in keys}


def cached(key: str, build: Callable[[], tuple[T, list[str]]]) -> T:
    """The value under `key` if every version it depends on is unchanged, else `build()` stored anew.

    `build` returns (value, the version keys the value depends on).
    """
    entry: Any = cache.get(key)
    if entry is not None:
        versions, value = entry
        if _current(versions) == versions:
            return value
    value, depends = build()
    cache.set(key, (_current(depends), value), ENTRY_SECONDS)
    return value

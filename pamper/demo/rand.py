"""Fast draws from a random.Random for the demo generator.

random.choice, randint and sample go through several Python-level checks per
call; at 200,000 venues those checks cost more than the inserts. These draw
from rng.random() directly. The draws differ from the standard library's, but
are just as deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer from low to high inclusive, uniformly."""
    return low + int(rng.random() * (high - low + 1))


def take(rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    """`count` distinct items (all of them when there are fewer), in random order."""
    pool = list(items)
    count = min(count, len(pool))
    for i in range(count):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]

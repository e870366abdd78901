"""Fixtures for the hostile-input tests: a frozen clock, the world, rate limits switched on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache

from pamper.tests.snapshot import replayed

from .world import NOW, World, build_world, plant


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits_on(settings, frozen) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Rate limits switched on, with empty counters. Time stands still, so no run of requests straddles a
    window boundary."""
    settings.RATE_LIMITS = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, frozen) -> World:  # type: ignore[no-untyped-def]
    """The hostile world, built by a worker's first test and copied back for the next (pamper/tests/snapshot.py)."""
    return replayed("security-world", build_world)


@pytest.fixture
def planted(world: World) -> dict[str, str]:
    """{"app.Model.field": payload} after every free-text field of the world was overwritten."""
    return plant(world)

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    """Sign-in counters live in the cache and must not leak between tests."""
    cache.clear()
    yield
    cache.clear()

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(settings):  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; sign-in counters live in the cache and must not leak between tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()

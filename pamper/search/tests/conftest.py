"""Search test fixtures: a fresh matcher per test and the real catalogue on demand."""

from __future__ import annotations

import pytest

from pamper.search import results, understand


@pytest.fixture(autouse=True)
def _fresh_search_caches() -> None:
    understand.reset()
    results.medians.clear()


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    """The project's real treatment catalogue, loaded from its data files."""
    from pamper.catalog.loader import load_catalogue

    load_catalogue()

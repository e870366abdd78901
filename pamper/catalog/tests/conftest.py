from __future__ import annotations

import pytest

from pamper.catalog.loader import LoadReport, load_catalogue
from pamper.tests.snapshot import replayed


@pytest.fixture
def catalogue(db: None) -> LoadReport:
    """The real catalogue, loaded from pamper/catalog/data/ into the test database (copied back after a worker's
    first load: pamper/tests/snapshot.py)."""
    return replayed("catalogue", load_catalogue)

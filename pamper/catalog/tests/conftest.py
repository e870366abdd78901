from __future__ import annotations

import pytest

from pamper.catalog.loader import LoadReport, load_catalogue


@pytest.fixture
def catalogue(db: None) -> LoadReport:
    """The real catalogue, loaded from pamper/catalog/data/ into the test database."""
    return load_catalogue()

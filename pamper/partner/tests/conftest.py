from __future__ import annotations

import pytest
import time_machine

from . import factories

# Tuesday 5 May 2026, 08:00 in London (07:00 UTC).
NOW = factories.utc(2026, 5, 5, 7, 0)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rose(db, frozen) -> factories.Salon:  # type: ignore[no-untyped-def]
    return factories.salon("Rose")


@pytest.fixture
def iris(db, frozen) -> factories.Salon:  # type: ignore[no-untyped-def]
    return factories.salon("Iris")

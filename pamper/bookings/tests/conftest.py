from __future__ import annotations

import pytest
import time_machine

from . import helpers

# A Monday in spring, 08:00 in London (07:00 UTC).
NOW = helpers.utc(2026, 5, 4, 7, 0)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(db, frozen) -> helpers.Shop:  # type: ignore[no-untyped-def]
    return helpers.shop()

"""`make bench` and `make bench-quick` are not run by the suite (they measure, and take minutes), so a broken
import in bench/ would only show when someone next measures. Every bench module imports here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
# locustfile needs locust (installed by `make bench` only); search_urls is a root URLconf for the bench server.
NOT_HERE = {"__main__", "locustfile", "search_urls"}


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem not in NOT_HERE))
def test_every_bench_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")

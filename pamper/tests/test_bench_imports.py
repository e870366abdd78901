"""`make bench` and `make bench-quick` are not run by the suite (they measure, and take minutes), so a broken
import in bench/ would only show when someone next measures. Every bench module imports here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.test import Client, override_settings

BENCH = Path(__file__).resolve().parents[2] / "bench"
# locustfile needs locust (installed by `make bench` only).
NOT_HERE = {"__main__", "locustfile"}


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem not in NOT_HERE))
def test_every_bench_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")


@override_settings(ROOT_URLCONF="bench.search_urls")
@pytest.mark.django_db
def test_the_bench_server_serves_its_trivial_view_and_every_language() -> None:
    """The benchmarks' gunicorn runs bench.search_urls: an `include` of Pamper's i18n_patterns there stopped it at
    start-up, and with it every over-HTTP figure of `make bench`, unnoticed for two days."""
    client = Client()
    assert client.get("/bench/ping").json() == {"ok": True}
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/fr/search/").status_code == 200
    assert 'lang="fr"' in client.get("/fr/search/").content.decode()


def test_the_search_benchmark_asks_for_postgis_before_its_database_exists() -> None:
    """`make bench` checks for PostGIS before it builds the search dataset; it asked inside the bench database,
    which does not exist on a machine that never ran the benchmark, so the search figures failed there."""
    psycopg = pytest.importorskip("psycopg")
    from bench import bench_search

    url = "postgresql://postgres@127.0.0.1:5432/pamper_bench_never_made"
    try:
        assert bench_search.postgis_available(url) in (True, False)
    except psycopg.OperationalError as exc:
        if "never_made" in str(exc):
            raise
        pytest.skip(f"no PostgreSQL server here: {exc}")

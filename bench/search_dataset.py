"""The search benchmark's dataset: build it once in its own PostgreSQL database, reuse it while it matches.

Steps run in a child process (`python -m bench.bench_search <step>`, see
run_child) with the bench database's settings; each prints its result as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
PG_URL = os.environ.get("PAMPER_BENCH_SEARCH_URL", "postgresql://postgres@127.0.0.1:5432/pamper_bench")
VENUES = int(os.environ.get("PAMPER_BENCH_VENUES", "200000"))
SEED = 20261127
MARKER = DATA_DIR / "search-dataset.json"
QUERIES = int(os.environ.get("PAMPER_BENCH_QUERIES", "2000"))
HTTP_SECONDS = float(os.environ.get("PAMPER_BENCH_HTTP_SECONDS", "20"))
CLIENTS = 8
ROUNDS = 3
RADIUS_KM = 10.0


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PAMPER_TESTING"}}
    env.update(DATABASE_URL=PG_URL, PAMPER_DATA_DIR=str(DATA_DIR), DJANGO_SETTINGS_MODULE="pamper.settings",
               PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    return env


def run_child(step: str, timeout: float = 7200) -> dict[str, Any]:
    """Run `python -m bench.bench_search <step>` against the bench database; its last stdout line is JSON."""
    done = subprocess.run([sys.executable, "-m", "bench.bench_search", step], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)
    sys.stderr.write(done.stderr[-4000:])
    if done.returncode != 0:
        raise RuntimeError(f"bench step {step} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    for line in lines[:-1]:
        print(f"  {line}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------
# Building the dataset (child process)


def setup_django() -> None:
    import django

    django.setup()


def _database_exists() -> bool:
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
        return bool(found)


def step_build() -> dict[str, Any]:
    """Create and fill the bench database (the slow part, done once)."""
    _database_exists()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from pamper.catalog.loader import load_catalogue
    from pamper.demo.generate import seed_demo
    from pamper.lib import clock
    from pamper.search.index import rebuild_index
    from pamper.venues.models import Service, Venue

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if Venue.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
    load_catalogue()
    seed_demo(venues=VENUES, seed=SEED, now=clock.now(), log=print)
    seeded = time.monotonic()
    rows = rebuild_index()
    indexed = time.monotonic()
    connection.close()
    _vacuum()
    from pamper.search.index import ROW_FORMAT

    facts = {"venues": Venue.objects.count(), "services": Service.objects.count(), "rows": rows, "seed": SEED,
             "row_format": ROW_FORMAT,
             "seed_seconds": round(seeded - started, 1), "index_seconds": round(indexed - seeded, 1),
             "built": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")}
    MARKER.write_text(json.dumps(facts, indent=2))
    return facts


def _vacuum() -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def step_migrate() -> dict[str, Any]:
    """Apply new migrations to the kept dataset; rebuild the search rows when the search app changed."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from pamper.search.index import rebuild_index

    plan = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    from pamper.search.index import ROW_FORMAT

    facts = json.loads(MARKER.read_text())
    if any(migration.app_label == "search" for migration, _ in plan) or facts.get("row_format") != ROW_FORMAT:
        facts["row_format"] = ROW_FORMAT
        started = time.monotonic()
        facts["rows"] = rebuild_index()
        facts["index_seconds"] = round(time.monotonic() - started, 1)
        connection.close()
        _vacuum()
        MARKER.write_text(json.dumps(facts, indent=2))
    return {"migrated": [f"{m.app_label}.{m.name}" for m, _ in plan], **facts}


def step_check() -> dict[str, Any]:
    """Whether the database still holds the dataset the marker describes."""
    if not MARKER.exists():
        return {"ok": False}
    facts = json.loads(MARKER.read_text())
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=5) as conn:
            venues = conn.execute("SELECT count(*) FROM venues_venue").fetchone()[0]
            rows = conn.execute("SELECT count(*) FROM search_searchrow").fetchone()[0]
    except Exception as exc:  # a missing database or table means "rebuild"
        return {"ok": False, "why": str(exc)}
    return {"ok": venues == facts["venues"] and rows == facts["rows"] and facts.get("seed") == SEED, **facts}


def ensure_dataset() -> dict[str, Any]:
    state = run_child("check")
    if state.get("ok"):
        print(f"Reusing the search dataset built {state['built']} ({state['venues']:,} venues).")
        return run_child("migrate")
    print(f"Building the search dataset: {VENUES:,} venues, seed {SEED} (once; reused afterwards) ...")
    return run_child("build")

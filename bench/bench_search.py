"""Search: the endpoint against a trivial view, the query against raw SQL and against PostGIS.

Data: 200,000 venues and about 2,000,000 services from the demo generator
(fixed seed) in PostgreSQL database PAMPER_BENCH_SEARCH_URL (default
postgresql://postgres@127.0.0.1:5432/pamper_bench) with its data directory in
bench/data/ (git-ignored). It is built once, by `seed_demo` and
`rebuild_index` as `pamper seed` runs them (without the demo reviews, which
add nothing to search and take long at this size), and reused while its
marker file matches the database.

Figures, all measured in one run on this machine:
1. HTTP: GET /api/v1/search (varied treatments, towns and coordinates) and a
   trivial Django JSON view under the same gunicorn (2 workers x 4 threads),
   driven by the same load generator: requests per second and their ratio
   (target at least 0.4).
2. Database part of a search request (index query + loading the page's
   venues and services, through Django) against the raw indexed SQL (the
   one-statement bounding-box query on a bare psycopg connection): p50/p95,
   target within 2 ms.
3. The portable query against a PostGIS nearest-neighbour query (GiST on
   (treatment_id, geography)) over the same rows: p95 ratio (target at most
   1.25) and top-20 agreement (target at least 99.9%). PostGIS comes from
   Debian's postgresql-15-postgis-3, installed with apt-get when missing.

The dataset is bench/search_dataset.py, the HTTP part bench/search_http.py; this
module times the query and writes the report.

Run: `make bench` (all benchmarks) or `python -m bench.bench_search`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.common import write_section
from bench.search_dataset import (
    DATA_DIR,
    HTTP_SECONDS,
    PG_URL,
    QUERIES,
    RADIUS_KM,
    ROUNDS,
    SEED,
    ensure_dataset,
    run_child,
    setup_django,
    step_build,
    step_check,
    step_migrate,
)
from bench.search_http import measure_http, step_load, step_urls

# ---------------------------------------------------------------------------
# The query against raw SQL and PostGIS (child process)


def sample_points(n: int) -> list[tuple[int, float, float]]:
    """(treatment, lat, lng): random offerings, the search point up to 3 km from the venue (fixed seed)."""
    import psycopg

    from pamper.search.geometry import destination

    with psycopg.connect(PG_URL) as conn:
        rows = conn.execute("SELECT treatment_id, latitude, longitude FROM search_searchrow"
                            " TABLESAMPLE BERNOULLI (1) REPEATABLE (27) ORDER BY id").fetchall()
    rnd = random.Random(SEED)
    points = []
    for treatment_id, lat, lng in rnd.sample(rows, n):
        lat2, lng2 = destination(lat, lng, rnd.uniform(0, 3), rnd.uniform(0, 360))
        points.append((treatment_id, round(lat2, 6), round(lng2, 6)))
    return points


def prepare_postgis(conn: Any) -> None:
    """A geography copy of the search rows with a GiST index led by the treatment (btree_gist)."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    want = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM search_searchrow").fetchone()
    have = conn.execute("SELECT to_regclass('bench_search_geo') IS NOT NULL").fetchone()[0]
    if have and conn.execute("SELECT count(*), coalesce(max(id), 0) FROM bench_search_geo").fetchone() == want:
        return
    conn.execute("DROP TABLE IF EXISTS bench_search_geo")
    conn.execute(
        "CREATE TABLE bench_search_geo AS SELECT id, venue_id, treatment_id,"
        " ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography AS geog FROM search_searchrow"
    )
    conn.execute("CREATE INDEX bench_search_geo_knn ON bench_search_geo USING gist (treatment_id, geog)")
    conn.execute("VACUUM ANALYZE bench_search_geo")


POSTGIS_SQL = (
    "SELECT id, venue_id, d FROM (SELECT id, venue_id, geog <-> ST_MakePoint(%s, %s)::geography AS d"
    " FROM bench_search_geo WHERE treatment_id = %s::bigint ORDER BY geog <-> ST_MakePoint(%s, %s)::geography LIMIT "
    "20) AS knn"
    " WHERE d <= %s"
)


def raw_indexed_sql(treatment_id: int, lat: float, lng: float) -> tuple[str, list[Any]]:
    """The plain one-statement indexed query: the whole radius's box, ordered by the chord, first 20."""
    from pamper.lib.geo import bounding_box
    from pamper.search.geometry import chord2_for_km, unit_vector

    x, y, z = unit_vector(lat, lng)
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, RADIUS_KM)
    sql = (
        "SELECT id, venue_id, d FROM (SELECT id, venue_id,"
        " (cx - %s) * (cx - %s) + (cy - %s) * (cy - %s) + (cz - %s) * (cz - %s) AS d FROM search_searchrow"
        " WHERE treatment_id = %s AND latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s) AS c"
        " WHERE d <= %s ORDER BY d, id LIMIT 21"
    )
    return sql, [x, x, y, y, z, z, treatment_id, min_lat, max_lat, min_lng, max_lng, chord2_for_km(RADIUS_KM)]


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), 3), "p95": round(ordered[int(len(ordered) * 0.95) - 1], 3),
            "mean": round(statistics.fmean(ordered), 3)}


def _agreement(ours: list[tuple], theirs: list[tuple]) -> tuple[int, int]:
    """(agreeing, compared) for one query's top 20: a venue counts as agreeing when PostGIS lists it
    too, or when it ties (to a millimetre) with the last one PostGIS lists."""
    from pamper.search.geometry import km_for_chord2

    if not ours and not theirs:
        return 0, 0
    listed = {row[1] for row in theirs}
    last_m = theirs[-1][2] if len(theirs) == 20 else None
    agree = 0
    for row in ours[:20]:
        venue_id, chord = row[1], row[2]
        tie = last_m is not None and abs(km_for_chord2(chord) * 1000 - last_m) <= 0.001
        agree += venue_id in listed or tie
    return agree, max(len(ours[:20]), len(theirs))


def _clock(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = run()
    return (time.perf_counter() - started) * 1000, out


def step_sql() -> dict[str, Any]:
    """Time the portable query, the raw indexed SQL, PostGIS KNN and a request's database part.

    Each statement runs twice per search, in an order that rotates from one
    search to the next; both runs are recorded. The first run often reads
    pages from the OS cache (PostgreSQL's shared_buffers here, 128 MB, hold
    less than the tables); the second shows the steady state of a server
    whose working set is in memory. The targets are judged on the second.
    """
    import psycopg

    setup_django()
    from django.db import connection

    from pamper.lib import clock
    from pamper.search import queries, sql

    points = sample_points(QUERIES)
    raw = psycopg.connect(PG_URL, autocommit=True)
    prepare_postgis(raw)
    now = clock.now()
    first: dict[str, list[float]] = {}
    second: dict[str, list[float]] = {}
    agree = compared = strict = 0
    for n, (treatment_id, lat, lng) in enumerate(points):
        q = sql.Query(treatment_id=treatment_id, lat=lat, lng=lng, radius_km=RADIUS_KM, now=now, sort="distance")
        rec = sql.Query(treatment_id=treatment_id, lat=lat, lng=lng, radius_km=RADIUS_KM, now=now, median=80.0)
        portable_sql, portable_params = sql.build_sql(q)
        raw_sql, raw_params = raw_indexed_sql(treatment_id, lat, lng)
        postgis_params = [lng, lat, treatment_id, lng, lat, RADIUS_KM * 1000]
        statements = [
            ("portable", lambda: raw.execute(portable_sql, portable_params, prepare=True).fetchall()),  # noqa: B023
            ("raw", lambda: raw.execute(raw_sql, raw_params, prepare=True).fetchall()),  # noqa: B023
            ("postgis", lambda: raw.execute(POSTGIS_SQL, postgis_params, prepare=True).fetchall()),  # noqa: B023
            ("rows_django", lambda: sql.find_rows(q)),  # noqa: B023
            ("db_part", lambda: queries.page(q, None)),  # noqa: B023
            ("rows_recommended", lambda: sql.find_rows(rec)),  # noqa: B023
            ("db_part_recommended", lambda: queries.page(rec, None)),  # noqa: B023
        ]
        shift = n % len(statements)
        answers = {}
        for name, run in statements[shift:] + statements[:shift]:
            t1, _ = _clock(run)
            t2, answers[name] = _clock(run)
            first.setdefault(name, []).append(t1)
            second.setdefault(name, []).append(t2)
        ours, theirs = answers["portable"], answers["postgis"]
        a, c = _agreement(ours, theirs)
        agree, compared = agree + a, compared + c
        strict += len({r[1] for r in ours[:20]} & {r[1] for r in theirs})
    raw.close()
    connection.close()
    figures: dict[str, Any] = {k: percentiles(v) for k, v in second.items()}
    figures["first_run"] = {k: percentiles(v) for k, v in first.items()}
    figures["agreement"] = round(agree / compared, 6) if compared else None
    figures["agreement_strict"] = round(strict / compared, 6) if compared else None
    figures["compared"] = compared
    figures["queries"] = len(points)
    return figures

# ---------------------------------------------------------------------------
# The orchestrator (`make bench`)


def postgis_available(url: str = PG_URL) -> bool:
    """Whether the server behind `url` can create the PostGIS extension. Asked in its maintenance database: the
    bench database does not exist yet on a machine that has never run the benchmark (ensure_dataset makes it)."""
    import psycopg

    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, connect_timeout=5) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone())


def ensure_postgis() -> str:
    """Install Debian's postgresql-15-postgis-3 when the extension is not available (needs root)."""
    if postgis_available():
        return "available"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("PostGIS is missing: install postgresql-15-postgis-3 (apt-get) and run again.")
    print("Installing postgresql-15-postgis-3 with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "postgresql-15-postgis-3"], check=False, env=env,
                   capture_output=True)
    if postgis_available():
        return "installed"
    subprocess.run(["apt-get", "update", "-q"], check=False, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "postgresql-15-postgis-3"], check=True, env=env,
                   capture_output=True)
    return "installed"


def report(facts: dict[str, Any], sql: dict[str, Any], http: dict[str, Any]) -> str:
    def verdict(ok: bool) -> str:
        return "meets" if ok else "misses"

    ratio_pg = sql["portable"]["p95"] / sql["postgis"]["p95"]
    diff50 = sql["db_part"]["p50"] - sql["raw"]["p50"]
    diff95 = sql["db_part"]["p95"] - sql["raw"]["p95"]
    lines = [
        f"Dataset: {facts['venues']:,} venues, {facts['services']:,} services, {facts['rows']:,} search rows "
        f"(seed {facts['seed']}; generated in {facts['seed_seconds']} s, index rebuilt in {facts['index_seconds']} s), "
        f"PostgreSQL. {sql['queries']:,} searches within {RADIUS_KM:g} km of points up to 3 km from random offerings.",
        "",
        "| measure | figure | target |",
        "| --- | --- | --- |",
        f"| trivial JSON view, requests/s | {http['ping_rps']} | |",
        f"| GET /api/v1/search, requests/s | {http['search_rps']} | |",
        f"| **search / trivial** | **{http['ratio']}x** | at least 0.5x (issue 19): {verdict(http['ratio'] >= 0.5)} |",
        "| runs (trivial, search requests/s) | " + "; ".join(f"{p:g}, {q:g}" for p, q in http["rounds"]) + " | |",
        f"| raw indexed SQL, p50 / p95 | {sql['raw']['p50']} / {sql['raw']['p95']} ms | |",
        f"| request's database part (query + page load, through Django), p50 / p95 "
        f"| {sql['db_part']['p50']} / {sql['db_part']['p95']} ms | |",
        f"| **difference p50 / p95** | **{diff50:+.2f} / {diff95:+.2f} ms** "
        f"| within 2 ms: {verdict(diff50 <= 2 and diff95 <= 2)} |",
        f"| portable query (ring SQL), p50 / p95 | {sql['portable']['p50']} / {sql['portable']['p95']} ms | |",
        f"| PostGIS KNN, GiST (treatment_id, geography), p50 / p95 "
        f"| {sql['postgis']['p50']} / {sql['postgis']['p95']} ms | |",
        f"| **portable / PostGIS p95** | **{ratio_pg:.2f}x** | at most 1.25x: {verdict(ratio_pg <= 1.25)} |",
        f"| **top-20 agreement** (ties at the 20th place count) | **{sql['agreement'] * 100:.3f}%** "
        f"(strict {sql['agreement_strict'] * 100:.3f}%) | at least 99.9%: {verdict(sql['agreement'] >= 0.999)} |",
        f"| recommended order: query / with page load, p50 / p95 | {sql['rows_recommended']['p50']} / "
        f"{sql['rows_recommended']['p95']} ms, {sql['db_part_recommended']['p50']} / "
        f"{sql['db_part_recommended']['p95']} ms | |",
        "",
        "First runs of each statement (pages often read from the OS cache), p50 / p95 ms: "
        + ", ".join(f"{name} {sql['first_run'][key]['p50']} / {sql['first_run'][key]['p95']}"
                    for name, key in (("raw indexed SQL", "raw"), ("portable query", "portable"),
                                      ("PostGIS KNN", "postgis"), ("request's database part", "db_part")))
        + f"; portable / PostGIS p95 {sql['first_run']['portable']['p95'] / sql['first_run']['postgis']['p95']:.2f}x.",
        "",
        f"HTTP: gunicorn 2 workers x 4 threads (gthread), {http['clients']} keep-alive clients in 2 processes on the "
        f"same machine, {HTTP_SECONDS:g} s per run, {ROUNDS} alternating runs each (the ratio is of their means); "
        f"non-200 answers: {http['errors']}. "
        "Query timings: each statement runs twice per search in a rotating order and the table shows the second "
        "run (the steady state of a server whose working set is in memory; shared_buffers is 128 MB here); one "
        "bare psycopg connection for the raw, portable and PostGIS statements, prepared alike; Django's "
        "connection for the request's database part (one statement: the index query joined to the venues and "
        "services of the page).",
    ]
    return "\n".join(lines)


def main() -> dict[str, Any]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    print(f"PostGIS: {ensure_postgis()}.")
    facts = ensure_dataset()
    print("Timing the query against raw SQL and PostGIS ...")
    sql = run_child("sql")
    print("Timing the endpoint against a trivial view under gunicorn ...")
    http = measure_http(run_child("urls")["urls"])
    text = report(facts, sql, http)
    print(text)
    write_section("search", "Search", text)
    return {"dataset": facts, "sql": sql, "http": http}


STEPS = {"build": step_build, "check": step_check, "migrate": step_migrate, "sql": step_sql, "urls": step_urls,
         "load": step_load}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(STEPS[sys.argv[1]]()))
    else:
        main()

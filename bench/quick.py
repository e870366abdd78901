"""`make bench-quick`: the ratio table in under two minutes, on a fresh copy of the demo data.

Every figure is a ratio against something measured in the same run, in the same process (Django's test client,
so they compare the application rather than an HTTP server):

- booking: POST /api/v1/bookings (a returning customer, one service, a bearer token, an Idempotency-Key) against
  GET /healthz, and the SQL statements one booking runs up to COMMIT;
- availability: GET /api/v1/venues/{id}/availability (20 staff, 31 days) against the pure sweep it wraps
  (`bookings.availability.find_slots`, timed inside the same requests);
- search: GET /api/v1/search against GET /healthz;
- pages: the search page, venue page and booking page against their JSON counterparts (server time to the first
  byte of a complete answer, as the test client measures it);
- memory: the resident size of each gunicorn worker warmed with all of the above (bench/memory.py).

Each compared pair is measured in turns (one request of each, forty times), so a shared machine slowing down midway
moves both sides of a ratio alike.

It runs in a child process on a temporary data directory and SQLite (or on PostgreSQL with
PAMPER_BENCH_POSTGRES_URL set: that database is dropped and created), so the development database is never touched.
`make bench` remains the full measurement (200,000 venues for search, gunicorn for throughput).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import memory
from bench.common import write_section

VENUES = int(os.environ.get("PAMPER_BENCH_QUICK_VENUES", "300"))
ROUNDS = 40


def _in_turns(*runs: Any, rounds: int = ROUNDS) -> list[float]:
    """The median time of each of `runs`, measured in turns (a, b, a, b, ...) after one warm-up call of each
    (first-request costs such as URL resolving and template loading are not the steady state). Compared in turns,
    a machine that slows down or speeds up midway (other work on a shared host) moves both sides of a ratio alike.

    Garbage is handled as a gunicorn worker handles it (pamper.lib.lean.Collector): what set-up left alive is
    frozen, and a full collection runs between requests, outside the timing, as the worker runs one after sending
    each answer. Otherwise Python's own collections, which walk the seed's objects, land inside whichever request
    happens to allocate past a threshold, mostly the pages (they allocate the most)."""
    gc.collect()
    gc.freeze()
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(rounds):
        for side, run in enumerate(runs):
            gc.collect()
            started = time.perf_counter()
            run()
            times[side].append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


def _get(client: Any, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response


def child() -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import bench_booking
    from pamper.bookings import availability as av
    from pamper.venues.models import Venue

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_catalog", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", demo=True, venues=VENUES, verbosity=0)
    world = bench_booking._seed()
    setup_s = time.monotonic() - started

    client = Client()
    def trivial_view() -> None:
        _get(client, "/healthz")

    # Booking: distinct free slots far enough ahead, each by a returning customer (their first booking is warm-up).
    day0 = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=40)
    counter = iter(range(10_000))

    def book() -> None:
        i = next(counter)
        slot = i // bench_booking.STAFF
        body = {"venue_id": world["venue"], "services": [world["cut"]],
                "staff_id": world["staff"][i % bench_booking.STAFF],
                "start": bench_booking._local_iso(day0 + dt.timedelta(days=slot // 28), 7 * 60 + 30 * (slot % 28),
                                                  world["zone"])}
        response = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {world['tokens'][0]}", HTTP_IDEMPOTENCY_KEY=f"quick-{i}")
        assert response.status_code == 201, response.content

    booking, trivial = _in_turns(book, trivial_view)
    with CaptureQueriesContext(connection) as queries:
        book()
    # Counted: the SQL statements the request sends before the COMMIT of the booking's transaction, without
    # transaction control (BEGIN, SAVEPOINT, RELEASE SAVEPOINT), which is counted apart; nothing after COMMIT.
    statements = [q["sql"].strip() for q in queries.captured_queries]
    commit = next((i for i, sql in enumerate(statements) if sql.upper() == "COMMIT"), len(statements))
    control = [sql for sql in statements[:commit] if sql.upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    up_to_commit = commit - len(control)

    # Availability: the endpoint against the sweep inside it.
    sweep_ms: list[float] = []
    real_find_slots = av.find_slots

    def timed_find_slots(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real_find_slots(*args, **kwargs)
        finally:
            sweep_ms.append((time.perf_counter() - t0) * 1000)

    today = dt.datetime.now(tz=dt.UTC).date()
    params = {"services": str(world["cut"]), "from": (today + dt.timedelta(days=2)).isoformat(),
              "to": (today + dt.timedelta(days=32)).isoformat()}
    av.find_slots = timed_find_slots
    try:
        [availability] = _in_turns(lambda: _get(client, f"/api/v1/venues/{world['venue']}/availability", **params),
                                   rounds=15)
    finally:
        av.find_slots = real_find_slots
    sweep = statistics.median(sweep_ms)

    # Search and pages on the demo data.
    search_params = {"q": "haircut", "near": "London"}
    def search_json() -> None:
        _get(client, "/api/v1/search", **search_params)

    search_api, search_trivial = _in_turns(search_json, trivial_view)
    search_page, search_api_paired = _in_turns(lambda: _get(client, "/search/", **search_params), search_json)
    venue = Venue.objects.filter(services__isnull=False).order_by("id").first()
    assert venue is not None
    venue_page, venue_api = _in_turns(lambda: _get(client, f"/venues/{venue.slug}/"),
                                      lambda: _get(client, f"/api/v1/venues/{venue.id}"))
    service = venue.services.order_by("id").first()
    book_params = {"services": str(service.id), "from": today.isoformat(),
                   "to": (today + dt.timedelta(days=6)).isoformat()}
    book_page, book_api = _in_turns(lambda: _get(client, f"/venues/{venue.slug}/book/", service=service.id),
                                    lambda: _get(client, f"/api/v1/venues/{venue.id}/availability", **book_params))

    # Memory: gunicorn on the same data, warmed with every kind of request above.
    memory_figures = memory.warmed_rss(dict(os.environ), [
        "/", "/treatments/", f"/search/?{urlencode(search_params)}", f"/api/v1/search?{urlencode(search_params)}",
        "/fr/search/?q=massage&near=Paris", "/api/v1/suggest?kind=where&q=manc", "/api/v1/suggest?kind=what&q=mass",
        f"/venues/{venue.slug}/", f"/api/v1/venues/{venue.id}", f"/venues/{venue.slug}/book/?service={service.id}",
        f"/api/v1/venues/{venue.id}/availability?{urlencode(book_params)}"])
    return {
        "memory": memory_figures,
        "database": connection.vendor, "venues": Venue.objects.count(), "setup_s": setup_s, "trivial": trivial,
        "booking": booking, "statements": up_to_commit, "control": len(control),
        "availability": availability, "sweep": sweep,
        "search_api": search_api, "search_trivial": search_trivial, "search_json": search_api_paired,
        "search_page": search_page, "venue_api": venue_api, "venue_page": venue_page,
        "book_api": book_api, "book_page": book_page,
    }


def _verdict(value: float, target: float, at_least: bool) -> str:
    met = value >= target if at_least else value <= target
    return "meets" if met else "misses"


def report(results: list[dict[str, Any]]) -> str:
    lines = ["| measure | " + " | ".join(r["database"] for r in results) + " | target |",
             "| --- |" + " --- |" * len(results) + " --- |"]

    def row(label: str, target: str, cell: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + f" | {target} |")

    row("booking / trivial (requests/s ratio)", "at least 0.2x",
        lambda r: f"{r['trivial'] / r['booking']:.3f}x ({r['booking']:.1f} vs {r['trivial']:.2f} ms), "
                  + _verdict(r["trivial"] / r["booking"], 0.2, True))
    row("statements per booking before COMMIT (+ BEGIN/SAVEPOINT/RELEASE)", "at most 8",
        lambda r: f"{r['statements']} (+{r['control']}), " + _verdict(r["statements"], 8, False))
    row("availability endpoint / pure sweep", "at most 2x",
        lambda r: f"{r['availability'] / r['sweep']:.2f}x ({r['availability']:.1f} vs {r['sweep']:.1f} ms), "
                  + _verdict(r["availability"] / r["sweep"], 2, False))
    row("search API / trivial (requests/s ratio)", "at least 0.5x at 200,000 venues (`make bench`)",
        lambda r: f"{r['search_trivial'] / r['search_api']:.3f}x "
                  f"({r['search_api']:.1f} vs {r['search_trivial']:.2f} ms)")
    for page, api, label in (("search_page", "search_json", "search page"), ("venue_page", "venue_api", "venue page"),
                             ("book_page", "book_api", "booking page")):
        row(f"{label} / its JSON (server time)", "at most 3x",
            lambda r, page=page, api=api: f"{r[page] / r[api]:.2f}x ({r[page]:.1f} vs {r[api]:.1f} ms), "
                                          + _verdict(r[page] / r[api], 3, False))
    row(f"resident memory of a warmed web process (gunicorn worker, {memory.THREADS} threads)", "at most 120 MB",
        lambda r: f"{max(r['memory']['workers_mb']):.0f} MB (workers "
                  + ", ".join(f"{mb:.0f}" for mb in r["memory"]["workers_mb"])
                  + f"; private {max(r['memory']['workers_anon_mb']):.0f}, proportional "
                  + f"{max(r['memory']['workers_pss_mb']):.0f}; master {r['memory']['master_mb']:.0f} MB), "
                  + _verdict(max(r["memory"]["workers_mb"]), 120, False))
    setup = ", ".join(f"{r['database']} {r['setup_s']:.0f} s" for r in results)
    return (f"Demo data: {results[0]['venues']} venues (`pamper seed --demo --venues {VENUES}`; set-up {setup}). "
            "Medians of 40 requests (15 for the 31-day availability) through Django's test client in one process, "
            "each compared pair measured in turns, "
            "after one warm-up request; set-up's objects frozen and garbage collected between requests, outside "
            "the timing, as the gunicorn workers do (pamper.lib.lean.Collector).\n\n" + "\n".join(lines) + "\n")


def _run_child(env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.quick", "--child"], env=env, capture_output=True, text=True,
                         check=False, cwd=Path(__file__).resolve().parents[1])
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> list[dict[str, Any]]:
    results = []
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PAMPER_DEMO"}}
    base.update(DJANGO_SETTINGS_MODULE="pamper.settings", PAMPER_RATE_LIMITS="0")
    with tempfile.TemporaryDirectory(prefix="pamper-bench-quick-") as data:
        results.append(_run_child({**base, "PAMPER_DATA_DIR": data}))
    pg = os.environ.get("PAMPER_BENCH_POSTGRES_URL")
    if pg:
        import psycopg

        admin, name = pg.rsplit("/", 1)
        with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        with tempfile.TemporaryDirectory(prefix="pamper-bench-quick-") as data:
            results.append(_run_child({**base, "PAMPER_DATA_DIR": data, "DATABASE_URL": pg}))
    text = report(results)
    print(text)
    write_section("quick", "Quick ratios (`make bench-quick`)", text)
    return results


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(child()))
    else:
        main()

"""Booking: requests per second against a trivial view, and 32 clients racing, on SQLite and on PostgreSQL.

Each database is measured in a child process of its own (`python -m
bench.bench_booking --child`): SQLite in a fresh temporary data directory,
PostgreSQL in a database of its own (PAMPER_BENCH_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432/pamper_bench_bookings), dropped and
created each run. Nothing touches the development database.

In each child, with Django's test client in one process (so the figures
compare the application, not an HTTP server):
- the availability endpoint for 20 staff over 31 days: queries and latency;
- GET /healthz (a trivial JSON view doing one SELECT 1) against
  POST /api/v1/bookings (bearer token, Idempotency-Key, a distinct free slot
  each time): requests per second and their ratio (target at least 0.2, issue 19);
- races: 32 threads released together, several rounds, on a few slots or on
  "anyone": exactly one booking per slot and staff member, every other answer
  a 409, no 5xx, no overlapping active items in the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.common import wait_until_up, write_section
from pamper.lib.ports import free_port

THREADS = 32
CLIENTS = 8  # load-generator connections, as in bench_search
RATIO_TARGET = 0.2
STAFF = 20
PG_URL = os.environ.get("PAMPER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/pamper_bench_bookings")


# --- the child: one database ------------------------------------------------------------------------------------


def _seed() -> dict[str, Any]:
    from pamper.accounts.models import ApiToken, User
    from pamper.catalog.models import Category, Treatment
    from pamper.venues.models import OpeningHours, Service, Shift, Staff, Venue

    category = Category.objects.create(slug="bench-hair", name="Hair")
    treatment = Treatment.objects.create(slug="bench-cut", name="Bench cut", category=category, summary="A cut.",
                                         session_minutes=30, price_from=Decimal(20), price_to=Decimal(40))
    venue = Venue.objects.create(name="Bench Salon", slug="bench-salon", address="1 Bench Street", city="London",
                                 country="GB", latitude=51.5, longitude=-0.12, min_notice_minutes=0, horizon_days=365)
    OpeningHours.objects.bulk_create(OpeningHours(venue=venue, weekday=d, opens="07:00",
                                                  closes="22:00") for d in range(7))
    cut = Service.objects.create(venue=venue, treatment=treatment, name="Cut", price=Decimal("30.00"), currency="GBP",
                                 duration_minutes=30, buffer_after=0)
    staff = []
    for i in range(STAFF):
        member = Staff.objects.create(venue=venue, name=f"Stylist {i:02d}", position=i)
        member.services.add(cut)
        Shift.objects.bulk_create(Shift(staff=member, weekday=d, start="07:00", end="22:00") for d in range(7))
        staff.append(member.id)
    tokens = []
    for i in range(THREADS + 8):
        user = User.objects.create_user(email=f"bench{i}@example.com", password=None, name=f"Bench {i}")
        tokens.append(ApiToken.issue(user)[1])
    return {"venue": venue.id, "cut": cut.id, "staff": staff, "tokens": tokens, "zone": venue.timezone}


def _local_iso(day: dt.date, minute: int, zone: str) -> str:
    import zoneinfo

    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=zoneinfo.ZoneInfo(zone)).isoformat()


def _availability(world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, today = Client(), dt.datetime.now(tz=dt.UTC).date()
    url = f"/api/v1/venues/{world['venue']}/availability"
    params = {"services": str(world["cut"]), "from": (today + dt.timedelta(days=2)).isoformat(),
              "to": (today + dt.timedelta(days=32)).isoformat()}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    count = len(queries)  # read now: each later request clears the connection's query log
    assert response.status_code == 200, response.content
    times = []
    for _ in range(8):
        started = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
    return {"queries": count, "slots": len(response.json()["slots"]), "ms": statistics.median(times)}


def _rate(run, count: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for i in range(count):
        run(i)
    return count / (time.perf_counter() - started)


def _throughput(world: dict[str, Any], count: int = 240) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    trivial = _rate(lambda i: client.get("/healthz"), count)
    day0 = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=40)
    statuses: Counter[int] = Counter()

    def book(i: int) -> None:
        staff = world["staff"][i % STAFF]
        slot = i // STAFF  # 30-minute slots from 07:00, one stylist after another
        day = day0 + dt.timedelta(days=slot // 28)
        body = {"venue_id": world["venue"], "services": [world["cut"]], "staff_id": staff,
                "start": _local_iso(day, 7 * 60 + 30 * (slot % 28), world["zone"])}
        response = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {world['tokens'][i % len(world['tokens'])]}",
                               HTTP_IDEMPOTENCY_KEY=f"bench-{i}")
        statuses[response.status_code] += 1

    booking = _rate(book, count)
    assert statuses == {201: count}, statuses
    return {"trivial_rps": trivial, "booking_rps": booking, "ratio": booking / trivial, "count": count}


def _booking_request(world: dict[str, Any], i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
    """POST for the i-th distinct slot: stylist i % 20, then 30-minute steps from 07:00, day after day."""
    slot = i // STAFF
    day = dt.date.fromisoformat(world["day0"]) + dt.timedelta(days=slot // 28)
    body = {"venue_id": world["venue"], "services": [world["cut"]], "staff_id": world["staff"][i % STAFF],
            "start": _local_iso(day, 7 * 60 + 30 * (slot % 28), world["zone"])}
    headers = {"Content-Type": "application/json", "Idempotency-Key": f"served-{i}",
               "Authorization": f"Bearer {world['tokens'][i % len(world['tokens'])]}"}
    return "POST", "/api/v1/bookings", json.dumps(body).encode(), headers


def load() -> None:
    """Load generator process (no Django): keep-alive clients for a while; prints {"ok", "errors"}.

    argv: --load PORT SECONDS THREADS MODE WORLD_JSON PROCESS PROCESSES BASE, MODE "ping" or "book".
    """
    from http.client import HTTPConnection

    port, seconds, threads, mode = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    world = json.loads(Path(sys.argv[6]).read_text())
    process, processes, base = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
    totals, lock = Counter(), threading.Lock()
    deadline = time.monotonic() + seconds

    def client(j: int) -> None:
        conn, seen, n = HTTPConnection("127.0.0.1", port, timeout=30), Counter(), 0
        while time.monotonic() < deadline:
            i = base + (n * processes * threads) + process * threads + j
            method, path, body, headers = ("GET", "/bench/ping", None,
                                           {}) if mode == "ping" else _booking_request(world, i)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                seen[response.status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                seen[0] += 1
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=30)
            n += 1
        with lock:
            totals.update(seen)

    workers = [threading.Thread(target=client, args=(j,)) for j in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    ok = totals[200] if mode == "ping" else totals[201]
    print(json.dumps({"ok": ok, "errors": sum(totals.values()) - ok, "statuses": dict(totals)}))


def _drive(port: int, mode: str, seconds: float, world_file: str, base: int) -> dict[str, Any]:
    """Two load processes of CLIENTS/2 threads each; successful requests per second."""
    procs = [subprocess.Popen([sys.executable, "-m", "bench.bench_booking", "--load", str(port), str(seconds),
                               str(CLIENTS // 2), mode, world_file, str(k), "2", str(base)],
                              stdout=subprocess.PIPE, text=True) for k in range(2)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    statuses: Counter[str] = Counter()
    for o in outs:
        statuses.update(o["statuses"])
    return {"rps": sum(o["ok"] for o in outs) / seconds, "errors": sum(o["errors"] for o in outs),
            "statuses": dict(statuses)}


def _served(world: dict[str, Any], seconds: float = 8.0) -> dict[str, Any]:
    """Booking against the search benchmark's trivial view (/bench/ping), under the same gunicorn and load generator.

    gunicorn gthread, 2 workers x 4 threads, with bench.search_settings (Pamper's settings plus /bench/ping and
    no rate-limit cache); CLIENTS keep-alive clients in two processes. Rounds alternate so a noisy neighbour
    hits both alike.
    """
    port = free_port()
    world = {**world, "day0": (dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=150)).isoformat()}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(world, handle)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.search_settings"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "pamper.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2", "--threads", "4", "-k", "gthread", "--log-level", "warning"],
                              env=env, start_new_session=True)
    try:
        wait_until_up(port)
        _drive(port, "ping", 3, handle.name, 0)
        _drive(port, "book", 3, handle.name, 60_000)  # warm-up bookings, days away from the measured ones
        rounds = []
        for r in range(2):
            rounds.append((_drive(port, "ping", seconds, handle.name, 0),
                           _drive(port, "book", seconds, handle.name, r * 100_000)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(handle.name)
    ping = statistics.fmean(p["rps"] for p, _ in rounds)
    booked = statistics.fmean(b["rps"] for _, b in rounds)
    errors = sum(b["errors"] for _, b in rounds)
    return {"trivial_rps": ping, "booking_rps": booked, "ratio": booked / ping, "booking_errors": errors,
            "statuses": [b["statuses"] for _, b in rounds]}


def _race_round(world: dict[str, Any], payloads: list[dict[str, Any]]) -> Counter[int]:
    from django.db import connections
    from django.test import Client

    barrier = threading.Barrier(len(payloads))
    codes: list[int] = [0] * len(payloads)

    def run(i: int) -> None:
        try:
            barrier.wait()
            response = Client().post("/api/v1/bookings", json.dumps(payloads[i]), content_type="application/json",
                                     HTTP_AUTHORIZATION=f"Bearer {world['tokens'][i]}")
            codes[i] = response.status_code
        except Exception:
            codes[i] = 599
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(payloads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(codes)


def _overlaps() -> int:
    from pamper.bookings.models import BookingItem

    rows = list(BookingItem.objects.filter(active=True).values_list("staff_id", "busy_start", "busy_end"))
    by_staff: dict[int, list[tuple]] = {}
    for staff, start, end in rows:
        by_staff.setdefault(staff, []).append((start, end))
    return sum(1 for spans in by_staff.values() for a, b in combinations(spans, 2) if a[0] < b[1] and b[0] < a[1])


def _races(world: dict[str, Any], rounds: int = 4) -> dict[str, Any]:
    totals: Counter[int] = Counter()
    expected: Counter[int] = Counter()
    started = time.perf_counter()
    for r in range(rounds):
        day = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=100 + r)
        slots = [_local_iso(day, 9 * 60 + 60 * k, world["zone"]) for k in range(4)]
        named = [{"venue_id": world["venue"], "services": [world["cut"]], "start": slots[i % 4],
                  "staff_id": world["staff"][0]}
                 for i in range(THREADS)]
        totals += _race_round(world, named)
        expected += Counter({201: 4, 409: THREADS - 4})
        anyone = [{"venue_id": world["venue"], "services": [world["cut"]],
                   "start": _local_iso(day, 15 * 60, world["zone"])}] * THREADS
        totals += _race_round(world, anyone)
        expected += Counter({201: STAFF, 409: THREADS - STAFF})
    return {"rounds": rounds * 2, "requests": sum(totals.values()), "codes": dict(totals), "expected": dict(expected),
            "exact": totals == expected, "server_errors": sum(n for code, n in totals.items() if code >= 500),
            "overlaps": _overlaps(), "seconds": time.perf_counter() - started}


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    world = _seed()
    result = {"vendor": connection.vendor, "availability": _availability(world), "throughput": _throughput(world),
              "served": _served(world), "race": _races(world)}
    print("RESULT " + json.dumps(result))


# --- the parent: run each database, write the results ----------------------------------------------------------


def _postgres_ready() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    base, _, name = PG_URL.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not measured: {exc}", file=sys.stderr)
        return False
    return True


def _run_child(env: dict[str, str]) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pamper.settings", **env}  # not another benchmark's settings
    done = subprocess.run([sys.executable, "-m", "bench.bench_booking", "--child"], env=env,
                          capture_output=True, text=True, timeout=1800, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"benchmark child failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def report(results: list[dict[str, Any]]) -> str:
    lines = [
        "20 staff, one 30-minute service. Each booking request carries a bearer token and an Idempotency-Key and takes "
        "a",
        "distinct free slot (all answered 201). Over HTTP the reference is the search benchmark's trivial JSON view",
        "(/bench/ping) under the same server and load generator; in-process it is GET /healthz (one SELECT 1).",
        "",
        "| database | how | booking req/s | not 201 | trivial req/s | ratio (target ≥ 0.2) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for how, t in ((f"gunicorn gthread 2x4, {CLIENTS} keep-alive clients; vs /bench/ping", r["served"]),
                       ("in-process test client, 1 thread; vs /healthz", r["throughput"])):
            verdict = "meets" if t["ratio"] >= RATIO_TARGET else "misses"
            lines.append(f"| {r['vendor']} | {how} | {t['booking_rps']:.0f} | {t.get('booking_errors', 0)} | "
                         f"{t['trivial_rps']:.0f} | "
                         f"{t['ratio']:.2f} ({verdict}) |")
    lines += ["", "| database | availability endpoint, 20 staff, 31 days |", "| --- | --- |"]
    for r in results:
        a = r["availability"]
        lines.append(f"| {r['vendor']} | {a['queries']} queries, {a['slots']} slots, "
                     f"{a['ms']:.0f} ms (test client, median) |")
    lines += ["",
              f"Races: {THREADS} threads released together per round; half the rounds fight for 4 slots of one "
              "stylist,",
              "half for one start time with anyone (20 stylists).", "",
              "| database | rounds | requests | answers | as expected | 5xx | overlapping items | time |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        race = r["race"]
        codes = ", ".join(f"{n}× {c}" for c, n in sorted(race["codes"].items()))
        lines.append(f"| {r['vendor']} | {race['rounds']} | {race['requests']} | {codes} | "
                     f"{'yes' if race['exact'] else 'NO'} | "
                     f"{race['server_errors']} | {race['overlaps']} | {race['seconds']:.1f} s |")
    return "\n".join(lines)


def main() -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="pamper-bench-bookings-") as data_dir:
        sqlite_env = {"PAMPER_DATA_DIR": data_dir, "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3"}
        results.append(_run_child(sqlite_env))
    if _postgres_ready():
        with tempfile.TemporaryDirectory(prefix="pamper-bench-bookings-") as data_dir:
            results.append(_run_child({"PAMPER_DATA_DIR": data_dir, "DATABASE_URL": PG_URL}))
    text = report(results)
    print(text)

    write_section("bookings-booking", "Booking throughput and races (bookings)", text)
    return results


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    elif "--load" in sys.argv:
        load()
    else:
        main()

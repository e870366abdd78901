"""`make load`: 200 searchers and 32 bookers against gunicorn on loopback for 60 seconds, twice.

Run 1: one gunicorn (2 workers x 4 threads) on PostgreSQL. Run 2: two gunicorn
instances on different ports in front of the same PostgreSQL, every booker
alternating between them, so the double-booking guard is raced across
processes that share nothing but the database.

Data: PAMPER_LOAD_VENUES venues (default 20,000) from `pamper seed`, made once
and kept between runs. PAMPER_LOAD_DATABASE picks the database: "postgresql"
(the default: PAMPER_LOAD_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/pamper_load, or pamper_load_<venues> for
another size) or "sqlite" (a file in the data directory; both runs then race
processes over one SQLite file). The data directory is
bench/data-load[-sqlite][-<venues>]/. Rate limits are off
(PAMPER_RATE_LIMITS=0): every client is 127.0.0.1.

Load: locust, headless, with bench/locustfile.py (installed on first use in a
virtualenv of its own, var/locust, like the audit's scanner). Its users have no
think time. Searchers ask GET /api/v1/search (nine in ten) or the search page
(one in ten) for a treatment near a town of the dataset. Bookers read a venue's
free slots for a day (GET availability) and book one of the first few with an
Idempotency-Key; four venues share all 32 bookers, so most attempts race for
the same slots and lose with 409.

Afterwards: 5xx per endpoint, p50/p95 per endpoint, and the database check
that no two active booking items of one staff member overlap. The figures go
into the "Load" section of bench/RESULTS.md (between its markers; the other
sections are left as they are) and are printed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import markers, replace_section, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
VENUES = int(os.environ.get("PAMPER_LOAD_VENUES", "20000"))
DATABASE = os.environ.get("PAMPER_LOAD_DATABASE", "postgresql")
if DATABASE not in ("postgresql", "sqlite"):
    raise SystemExit("PAMPER_LOAD_DATABASE is postgresql or sqlite")
DEFAULT_SIZE = VENUES == 20000
_suffix = ("-sqlite" if DATABASE == "sqlite" else "") + ("" if DEFAULT_SIZE else f"-{VENUES}")
DATA_DIR = ROOT / "bench" / f"data-load{_suffix}"
PG_URL = os.environ.get("PAMPER_LOAD_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/pamper_load"
                        + ("" if DEFAULT_SIZE else f"_{VENUES}"))
SECONDS = float(os.environ.get("PAMPER_LOAD_SECONDS", "60"))
SEARCHERS, BOOKERS, BOOKING_VENUES = 200, 32, 4
NOTE = "pamper-load"
SECTION = "load" if DATABASE == "postgresql" and DEFAULT_SIZE else f"load-{DATABASE}-{VENUES}"


def server_env() -> dict[str, str]:
    env = {**os.environ, "PAMPER_DATA_DIR": str(DATA_DIR), "PAMPER_RATE_LIMITS": "0",
           "DJANGO_SETTINGS_MODULE": "pamper.settings", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    return env | ({"DATABASE_URL": PG_URL} if DATABASE == "postgresql" else {})


def pamper(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("pamper")), *args], cwd=ROOT, env=server_env(), check=True)


# ------------------------------------------------------------------ data (Django, in this process)


def setup_django() -> None:
    os.environ.update(server_env())
    import django

    django.setup()


def ensure_dataset() -> None:
    if DATABASE == "postgresql":
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    pamper("migrate", "--no-input", "-v", "0")
    pamper("seed", "--demo", "--if-empty", "--venues", str(VENUES), "--seed", "9")
    pamper("collectstatic", "--no-input", "-v", "0")
    print(f"dataset ready in {time.monotonic() - started:.0f} s", flush=True)


@dataclass
class Plan:
    searches: list[tuple[str, str]]
    venues: list[dict[str, Any]]  # {"venue_id", "service_id", "dates"}
    tokens: list[str]
    venue_count: int = 0


def booking_targets() -> list[dict[str, Any]]:
    """Published venues with an online-bookable treatment (no clinical pathway) that two or more staff perform."""
    from django.db.models import Count

    from pamper.venues.models import Service

    rows = (Service.objects.filter(kind="treatment", online_bookable=True, is_active=True, venue__is_published=True,
                                   venue__auto_confirm=True, resource=None, treatment__consultation_required=False,
                                   treatment__patch_test_lead_hours=None)
            .annotate(people=Count("staff")).filter(people__gte=2).order_by("venue_id", "id")
            .values_list("venue_id", "id", "venue__timezone"))
    targets: dict[int, dict[str, Any]] = {}
    for venue_id, service_id, zone in rows:
        targets.setdefault(venue_id, {"venue_id": venue_id, "service_id": service_id, "zone": zone})
        if len(targets) == BOOKING_VENUES:
            break
    return list(targets.values())


def prepare() -> Plan:
    """Booker accounts with tokens, the venues they fight over (old load bookings removed), search queries."""
    from pamper.accounts.models import ApiToken, User
    from pamper.bookings.models import Booking
    from pamper.catalog.models import Treatment
    from pamper.venues.models import Venue

    Booking.objects.filter(notes=NOTE).delete()
    tokens = []
    for n in range(BOOKERS):
        user, _ = User.objects.get_or_create(email=f"load-booker-{n}@example.com", defaults={"name": f"Booker {n}"})
        tokens.append(ApiToken.issue(user, name="load")[1])
    towns = [c for c, in Venue.objects.values_list("city").distinct()[:40]]
    names = list(Treatment.objects.values_list("name", flat=True))
    rng = random.Random(9)
    searches = [(rng.choice(names), rng.choice(towns)) for _ in range(400)]
    return Plan(searches=searches, venues=booking_targets(), tokens=tokens, venue_count=Venue.objects.count())


def overlaps(venue_ids: list[int]) -> int:
    """Pairs of active booking items of one staff member whose busy times overlap."""
    from django.db import connection

    sql = """SELECT count(*) FROM bookings_bookingitem a JOIN bookings_bookingitem b
             ON a.staff_id = b.staff_id AND a.id < b.id AND a.active AND b.active
             AND a.busy_start < b.busy_end AND b.busy_start < a.busy_end
             WHERE a.venue_id IN ({})""".format(", ".join(["%s"] * len(venue_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, venue_ids)
        return int(cursor.fetchone()[0])


def booked(venue_ids: list[int]) -> int:
    from pamper.bookings.models import Booking

    return Booking.objects.filter(notes=NOTE, venue_id__in=venue_ids).count()


# ------------------------------------------------------------------ servers


def start_servers(ports: list[int]) -> list[subprocess.Popen]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    servers = [subprocess.Popen(
        [gunicorn, "pamper.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "--worker-connections", "1000", "--logger-class", "pamper.lib.redact.GunicornLogger",
         "--error-logfile", str(DATA_DIR / f"gunicorn-{port}.log")],
        cwd=ROOT, env=server_env(), start_new_session=True) for port in ports]
    try:
        for port in ports:
            wait_until_up(port, "/healthz", timeout=60)
    except RuntimeError:
        stop_servers(servers)
        raise
    return servers


def stop_servers(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        os.killpg(server.pid, signal.SIGTERM)
    for server in servers:
        server.wait(timeout=30)


# ------------------------------------------------------------------ the load: locust


LOCUST = ROOT / "var" / "locust" / "bin" / "locust"


def ensure_locust() -> Path:
    """locust in a virtualenv of its own (it pins gevent and friends; the app does not need them)."""
    if not LOCUST.exists():
        venv = LOCUST.parent.parent
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "locust>=2.30,<3"], check=True)
    return LOCUST


def drive(plan: Plan, ports: list[int], seconds: float) -> tuple[dict[str, dict[str, float]], dict[str, Counter]]:
    """Run locust headless for `seconds`: per-endpoint figures from its CSV, and the status counts per endpoint."""
    out = DATA_DIR / "locust"
    out.mkdir(parents=True, exist_ok=True)
    plan_file, statuses_file = out / "plan.json", out / "statuses.json"
    plan_file.write_text(json.dumps({"searches": plan.searches, "venues": plan.venues, "tokens": plan.tokens,
                                     "note": NOTE}))
    users = SEARCHERS + BOOKERS
    env = {**os.environ, "PAMPER_LOAD_PLAN": str(plan_file), "PAMPER_LOAD_STATUSES": str(statuses_file),
           "PAMPER_LOAD_PORTS": ",".join(map(str, ports))}
    subprocess.run(
        [str(ensure_locust()), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--users", str(users),
         "--spawn-rate", str(users), "--run-time", f"{seconds:.0f}s", "--stop-timeout", "10", "--only-summary",
         "--csv", str(out / "run"), "--host", f"http://127.0.0.1:{ports[0]}", "--loglevel", "WARNING"],
        env=env, check=False, stdout=subprocess.DEVNULL,
    )
    figures = {}
    with open(out / "run_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated":
                figures[row["Name"]] = {"requests": int(row["Request Count"]), "per_s": float(row["Requests/s"]),
                                        "p50": float(row["50%"]), "p95": float(row["95%"])}
    counts = {name: Counter({int(k): v for k, v in c.items()}) for name,
              c in json.loads(statuses_file.read_text()).items()}
    return figures, counts


# ------------------------------------------------------------------ figures


def run(label: str, ports: list[int], plan: Plan) -> dict[str, Any]:
    print(f"{label}: starting gunicorn on {ports} ...", flush=True)
    servers = start_servers(ports)
    busy = os.getloadavg()[0]
    try:
        started = time.monotonic()
        figures, counts = drive(plan, ports, SECONDS)
        elapsed = time.monotonic() - started
    finally:
        stop_servers(servers)
    venue_ids = [v["venue_id"] for v in plan.venues]
    rows = []
    for name in sorted(figures):
        statuses = counts.get(name, Counter())
        # The status counts are the complete tally (locust's CSV can miss the last answers of the stop period).
        figures[name]["requests"] = sum(statuses.values()) or figures[name]["requests"]
        rows.append({"endpoint": name, **figures[name], "5xx": sum(n for s, n in statuses.items() if s >= 500),
                     "errors": statuses.get(0, 0),
                     "answers": ", ".join(f"{n}× {s}" for s, n in sorted(statuses.items()) if s)})
    return {"label": label, "ports": ports, "seconds": elapsed, "rows": rows,
            "errors": {r["endpoint"]: r["errors"] for r in rows if r["errors"]},
            "load": (busy, os.getloadavg()[0]), "overlaps": overlaps(venue_ids), "booked": booked(venue_ids)}


def section(results: list[dict[str, Any]], plan: Plan) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    start, end = markers(SECTION)
    database = "PostgreSQL" if DATABASE == "postgresql" else "SQLite (one file, WAL)"
    out = [start, f"## Load (reliability): {database}, {plan.venue_count:,} venues", "",
           f"Measured {now} on {os.cpu_count()} cores, Python {platform.python_version()}, by `make load` "
           f"(bench/load.py, PAMPER_LOAD_DATABASE={DATABASE} PAMPER_LOAD_VENUES={VENUES}). {database}, "
           f"{plan.venue_count:,} venues from `pamper seed`. {SEARCHERS} searchers and "
           f"{BOOKERS} bookers (locust users, bench/locustfile.py) with no think time, {SECONDS:.0f} s per run; the "
           f"load generator (locust, one process) shares the 2 cores with the servers and the database. p50/p95 are "
           f"locust's (rounded to its buckets). Bookers share "
           f"{len(plan.venues)} venues and pick among each day's first six free slots, so most attempts race and "
           "lose with 409. Rate limits off (all clients are 127.0.0.1).", ""]
    for r in results:
        out += [f"**{r['label']}** (ports {', '.join(map(str, r['ports']))}): "
                f"5xx: {sum(row['5xx'] for row in r['rows'])}; bookings made: {r['booked']}; "
                f"overlapping active items of one staff member: **{r['overlaps']}**; machine load average "
                f"{r['load'][0]:.1f} at the start, {r['load'][1]:.1f} at the end"
                + (f"; connection errors: {r['errors']}" if r["errors"] else "") + ".", "",
                "| endpoint | requests | req/s | p50 ms | p95 ms | 5xx | answers |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        out += [f"| {row['endpoint']} | {row['requests']} | {row['per_s']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} "
                f"| {row['5xx']} | {row['answers']} |" for row in r["rows"]]
        out.append("")
    return "\n".join([*out, end])


def write_results(text: str) -> None:
    """Replace this database and size's Load section of RESULTS.md."""
    replace_section(SECTION, text)

def main() -> int:
    ensure_dataset()
    setup_django()
    plan = prepare()
    if len(plan.venues) < BOOKING_VENUES:
        raise RuntimeError("the dataset has too few bookable venues")
    results = [run("Run 1: one gunicorn (2 workers x 4 threads)", [8301], plan)]
    plan = prepare()  # the second run starts from an empty diary again
    results.append(run("Run 2: two gunicorn instances (2 x 4 each), bookers alternating", [8302, 8303], plan))
    if DATABASE == "sqlite":
        results[-1]["label"] += " over the same SQLite file"
    text = section(results, plan)
    write_results(text)
    print(text)
    bad = [r for r in results if r["overlaps"] or any(row["5xx"] for row in r["rows"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

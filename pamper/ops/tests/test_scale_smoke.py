"""`make scale-test` in small: two nodes, a primary and replica it starts itself, Redis, S3 and workers
with a few clients for 5 s; every check of the full run must hold (pamper/ops/scaletest/run.py). Skipped without the
PostgreSQL server binaries or a Redis on 127.0.0.1:6379."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from pamper.ops.scaletest.cluster import ROOT
from pamper.tests.database import LOCAL_SERVER, server_reachable
from pamper.tests.replica import have_postgres


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.own_servers
@pytest.mark.skipif(not have_postgres(), reason="the PostgreSQL server binaries are not installed")
@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_two_nodes_under_a_short_load_pass_every_check() -> None:
    # The primary gets its schema from the test template of the machine's PostgreSQL when there is one (pg_dump,
    # a second) instead of nine seconds of migrations; the load runs 5 s, long enough for every check to count.
    schema = {"SCALE_SCHEMA_FROM": LOCAL_SERVER} if server_reachable() else {}
    env = {**os.environ, **schema, "SCALE_SECONDS": "5", "SCALE_SEARCHERS": "6", "SCALE_BOOKERS": "3",
           "SCALE_WRITERS": "1", "SCALE_VENUES": "8", "SCALE_WRITE_RESULTS": "0", "SCALE_PORT": "8114",
           "SCALE_REDIS_DB": "14"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "pamper.ops.scaletest"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    report = done.stdout[done.stdout.find("| check |"):]
    assert done.returncode == 0, (report + "\n" + done.stderr[-6000:]) if report else done.stderr[-6000:]
    assert report.count("| ok |") == 6, report

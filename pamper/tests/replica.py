"""A real PostgreSQL primary with a streaming replica, started by the tests themselves, once per session.

`pg_replica` runs initdb, starts a primary on a spare port, clones it with `pg_basebackup -R` (streaming
replication configured by the clone itself) and starts the clone on another spare port, all as the postgres
user; it yields the two URLs of a database "pamper" and stops both servers afterwards. Skipped where the
PostgreSQL server binaries are absent. Registered in the root conftest.py (pytest_plugins).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pamper.tests.s3 import free_port


@dataclass(frozen=True)
class Pair:
    primary_url: str
    replica_url: str
    replica_dir: Path
    replica_port: int

    def psql(self, port: int, sql: str) -> str:
        return _as_postgres("psql", "-h", "127.0.0.1", "-p", str(port), "-d", "pamper", "-At", "-c", sql)


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


def _as_postgres(*args: str) -> str:
    command = [_bin(args[0]) or args[0], *args[1:]]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr or done.stdout}")
    return done.stdout.strip()


@pytest.fixture(scope="session")
def pg_replica() -> Iterator[Pair]:
    if not all(_bin(name) for name in ("initdb", "pg_ctl", "pg_basebackup", "psql")):
        pytest.skip("the PostgreSQL server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="pamper-pg-replica-"))  # pytest's own folders are closed to postgres
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, clone = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    _as_postgres("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {p_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                   "wal_level = replica\nmax_wal_senders = 5\nfsync = off\n")
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    started: list[Path] = []
    try:
        _as_postgres("pg_ctl", "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
        started.append(primary)
        _as_postgres("psql", "-h", "127.0.0.1", "-p", str(p_port), "-d", "postgres", "-c", "CREATE DATABASE pamper")
        _as_postgres("pg_basebackup", "-h", "127.0.0.1", "-p", str(p_port), "-D", str(clone), "-R", "-X", "stream",
                     "--checkpoint=fast", "--no-sync")
        with (clone / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {r_port}\n")
        _as_postgres("pg_ctl", "-D", str(clone), "-l", str(root / "replica.log"), "-w", "start")
        started.append(clone)
        deadline = time.monotonic() + 30
        while _as_postgres("psql", "-h", "127.0.0.1", "-p", str(p_port), "-d", "postgres", "-At", "-c",
                           "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not start streaming")
            time.sleep(0.2)
        yield Pair(f"postgresql://postgres@127.0.0.1:{p_port}/pamper",
                   f"postgresql://postgres@127.0.0.1:{r_port}/pamper", clone, r_port)
    finally:
        for data in reversed(started):
            subprocess.run(["runuser", "-u", "postgres", "--", _bin("pg_ctl") or "pg_ctl", "-D", str(data), "-m",
                            "immediate", "stop"] if os.geteuid() == 0 else
                           [_bin("pg_ctl") or "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60, check=False)
        shutil.rmtree(root, ignore_errors=True)

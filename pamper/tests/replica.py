"""A real PostgreSQL primary with a streaming replica, started by the tests themselves, once per session.

`pg_replica` runs initdb, starts a primary on a spare port, clones it with `pg_basebackup -R` (streaming
replication configured by the clone itself) and starts the clone on another spare port, all as the postgres
user; it yields the two URLs of a database "pamper" and stops both servers afterwards. Skipped where the
PostgreSQL server binaries are absent. Registered in the root conftest.py (pytest_plugins).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pamper.lib.ports import free_port


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


def _start(data: Path, log: Path) -> int:
    """Start the cluster in `data` on a spare port written into its postgresql.conf (the last `port` line wins)
    and return the port. If something took the port before the server bound it, as its log says, try again on
    another: a port is only checked free when picked, and initdb or pg_basebackup take seconds after that."""
    for attempt in range(5):
        port = free_port()
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {port}\n")
        try:
            _as_postgres("pg_ctl", "-D", str(data), "-l", str(log), "-w", "start")
        except RuntimeError as exc:
            said = log.read_text(errors="replace") if log.exists() else ""
            if attempt < 4 and "could not bind" in said:
                log.unlink(missing_ok=True)
                continue
            raise RuntimeError(f"{exc}\n{log.name}: {said[-2000:]}") from exc
        return port
    raise AssertionError("unreachable")


def start_pair(root: Path, started: list[Path], primary_conf: str = "") -> tuple[int, int]:
    """A primary and its streaming replica under `root` (owned by postgres when run as root), each on a spare
    port; every started data folder is appended to `started`, so the caller stops them whatever happens.
    `primary_conf` adds lines to the primary's postgresql.conf. Returns (primary port, replica port) once the
    replica streams."""
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, clone = root / "primary", root / "replica"
    _as_postgres("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                   f"wal_level = replica\nmax_wal_senders = 5\nfsync = off\n{primary_conf}")
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    p_port = _start(primary, root / "primary.log")
    started.append(primary)
    _as_postgres("psql", "-h", "127.0.0.1", "-p", str(p_port), "-d", "postgres", "-c", "CREATE DATABASE pamper")
    _as_postgres("pg_basebackup", "-h", "127.0.0.1", "-p", str(p_port), "-D", str(clone), "-R", "-X", "stream",
                 "--checkpoint=fast", "--no-sync")
    r_port = _start(clone, root / "replica.log")
    started.append(clone)
    deadline = time.monotonic() + 30
    while _as_postgres("psql", "-h", "127.0.0.1", "-p", str(p_port), "-d", "postgres", "-At", "-c",
                       "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1":
        if time.monotonic() > deadline:
            raise RuntimeError("the replica did not start streaming")
        time.sleep(0.2)
    return p_port, r_port


def stop(data: Path) -> None:
    """Stop the cluster in `data` at once (its files are thrown away after)."""
    _as_postgres("pg_ctl", "-D", str(data), "-m", "immediate", "stop")


def have_postgres() -> bool:
    return all(_bin(name) for name in ("initdb", "pg_ctl", "pg_basebackup", "psql"))


@pytest.fixture(scope="session")
def pg_replica() -> Iterator[Pair]:
    if not have_postgres():
        pytest.skip("the PostgreSQL server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="pamper-pg-replica-"))  # pytest's own folders are closed to postgres
    started: list[Path] = []
    try:
        p_port, r_port = start_pair(root, started)
        yield Pair(f"postgresql://postgres@127.0.0.1:{p_port}/pamper",
                   f"postgresql://postgres@127.0.0.1:{r_port}/pamper", root / "replica", r_port)
    finally:
        for data in reversed(started):
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):  # a test may have stopped it
                stop(data)
        shutil.rmtree(root, ignore_errors=True)

"""The processes of `make scale-test`: a PostgreSQL primary and its streaming replica, moto's S3 server, and per
node a gunicorn and a task worker. Every start registers a stop in a `Processes`, which stops all of them in
reverse order on the way out, failure or not."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

from pamper.tests.replica import _as_postgres, _bin
from pamper.tests.s3 import free_port

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = ROOT / ".venv" / "bin"


class Processes:
    """Stops, last started first; `stop_all` runs each once even if one fails."""

    def __init__(self) -> None:
        self.stops: list[Callable[[], None]] = []

    def add(self, stop: Callable[[], None]) -> None:
        self.stops.append(stop)

    def spawn(self, args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        with log.open("ab") as out:
            proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out,  # noqa: S603 (our own programs, no shell)
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.add(lambda: _stop_group(proc))
        return proc

    def stop_all(self) -> None:
        while self.stops:
            try:
                self.stops.pop()()
            except Exception as exc:  # stop the others whatever happened to this one
                print(f"scale-test: a stop failed: {exc}", flush=True)


def _stop_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def have_postgres() -> bool:
    return all(_bin(name) for name in ("initdb", "pg_ctl", "pg_basebackup", "psql"))


def start_postgres(root: Path, procs: Processes) -> tuple[str, str, Callable[[int, str], str]]:
    """A primary and a streaming replica under root (as the postgres user when run as root), as in
    pamper/tests/replica.py; returns the primary's and replica's URLs of database "pamper" and a psql(port, sql)."""
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, clone = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    _as_postgres("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {p_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                   "wal_level = replica\nmax_wal_senders = 5\nfsync = off\nmax_connections = 200\n"
                   "shared_preload_libraries = 'pg_stat_statements'\n")
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")

    def stop(data: Path) -> Callable[[], None]:
        return lambda: _as_postgres("pg_ctl", "-D", str(data), "-m", "immediate", "stop")

    _as_postgres("pg_ctl", "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
    procs.add(stop(primary))

    def psql(port: int, sql: str, db: str = "pamper") -> str:
        return _as_postgres("psql", "-h", "127.0.0.1", "-p", str(port), "-d", db, "-At", "-c", sql)

    psql(p_port, "CREATE DATABASE pamper", "postgres")
    psql(p_port, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    _as_postgres("pg_basebackup", "-h", "127.0.0.1", "-p", str(p_port), "-D", str(clone), "-R", "-X", "stream",
                 "--checkpoint=fast", "--no-sync")
    with (clone / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {r_port}\n")
    _as_postgres("pg_ctl", "-D", str(clone), "-l", str(root / "replica.log"), "-w", "start")
    procs.add(stop(clone))
    deadline = time.monotonic() + 30
    while psql(p_port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", "postgres") != "1":
        if time.monotonic() > deadline:
            raise RuntimeError("the replica did not start streaming")
        time.sleep(0.2)
    return (f"postgresql://postgres@127.0.0.1:{p_port}/pamper", f"postgresql://postgres@127.0.0.1:{r_port}/pamper",
            psql)


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=5) as answer:  # noqa: S310 (our own loopback URL)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")

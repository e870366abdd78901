"""The processes of `make scale-test`: a PostgreSQL primary and its streaming replica, moto's S3 server, and per
node a gunicorn and a task worker. Every start registers a stop in a `Processes`, which stops all of them in
reverse order on the way out, failure or not."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

from pamper.tests.replica import _as_postgres, start_pair, stop

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


def start_postgres(root: Path, procs: Processes) -> tuple[str, str, Callable[[int, str], str]]:
    """A primary and a streaming replica under root, started by pamper/tests/replica.py's start_pair; returns
    the primary's and replica's URLs of database "pamper" and a psql(port, sql)."""
    started: list[Path] = []
    try:
        p_port, r_port = start_pair(root, started, "max_connections = 200\n"
                                                   "shared_preload_libraries = 'pg_stat_statements'\n")
    finally:
        for data in started:
            procs.add(lambda data=data: stop(data))

    def psql(port: int, sql: str, db: str = "pamper") -> str:
        return _as_postgres("psql", "-h", "127.0.0.1", "-p", str(port), "-d", db, "-At", "-c", sql)

    psql(p_port, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
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

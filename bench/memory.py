"""Resident memory of warmed web processes (issue target: at most 120 MB per process).

gunicorn is started the way bin/run starts it (pamper/gunicorn_conf.py, gthread workers), on the caller's data
directory and database, and warmed with every kind of request a visitor makes (search page and API, suggestions,
a venue page, its booking page and availability), spread over all workers and threads. Then VmRSS is read from
/proc for the master and each worker. The place index is a shared read-only file (pamper/search/placedata.py),
built once before the server starts, as bin/run does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pamper.lib.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
THREADS = 4
ROUNDS = 12



def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """A size from /proc/PID/status in KB: VmRSS (resident), RssAnon (its private part)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def pss_kb(pid: int) -> int:
    """The proportional set size: shared pages divided among the processes sharing them."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def warmed_rss(env: dict[str, str], paths: list[str]) -> dict[str, object]:
    """{'master_mb', 'workers_mb', 'workers_anon_mb', 'workers_pss_mb', 'requests'}: sizes in MB after ROUNDS
    passes over `paths`."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "pamper.wsgi", "-c", "python:pamper.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--threads", str(THREADS)],
        env={**env, "PAMPER_DEMO": "1"}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        requests = 0
        for _ in range(ROUNDS * WORKERS):
            for path in paths:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
                    answer.read()
                requests += 1
        workers = _children(proc.pid)
        return {"master_mb": rss_kb(proc.pid) / 1024, "workers_mb": sorted(rss_kb(w) / 1024 for w in workers),
                "workers_anon_mb": sorted(rss_kb(w, "RssAnon") / 1024 for w in workers),
                "workers_pss_mb": sorted(pss_kb(w) / 1024 for w in workers), "requests": requests}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":  # python -m bench.memory PATH...: against the current PAMPER_DATA_DIR / DATABASE_URL
    print(warmed_rss(dict(os.environ), sys.argv[1:] or ["/healthz"]))

"""The search benchmark's HTTP part: GET /api/v1/search against a trivial view under the same gunicorn."""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from bench.common import wait_until_up
from bench.search_dataset import CLIENTS, DATA_DIR, HTTP_SECONDS, PG_URL, ROOT, ROUNDS, SEED, child_env
from pamper.lib.ports import free_port


def step_urls() -> dict[str, Any]:
    """Search URLs of the kind people send: a treatment's name or synonym, a town or a point."""
    import psycopg

    from pamper.search.geometry import destination

    rnd = random.Random(SEED + 1)
    with psycopg.connect(PG_URL) as conn:
        treatments = conn.execute("SELECT name, synonyms FROM catalog_treatment ORDER BY id").fetchall()
        towns = [r[0] for r in conn.execute(
            "SELECT city FROM venues_venue GROUP BY city HAVING count(*) >= 20 ORDER BY count(*) DESC LIMIT 200")]
        spots = conn.execute("SELECT latitude, longitude FROM venues_venue TABLESAMPLE BERNOULLI (5) REPEATABLE (27)"
                             " ORDER BY id").fetchall()
    urls = []
    for i in range(600):
        name, synonyms = rnd.choice(treatments)
        text = rnd.choice([name, name, *synonyms[:3]]) if synonyms else name
        params = {"q": text}
        if i % 2:
            params["near"] = rnd.choice(towns)
        else:
            lat, lng = destination(*rnd.choice(spots), rnd.uniform(0, 3), rnd.uniform(0, 360))
            params["lat"], params["lng"] = f"{lat:.5f}", f"{lng:.5f}"
        urls.append("/api/v1/search?" + urllib.parse.urlencode(params))
    return {"urls": urls}


def step_load() -> dict[str, Any]:
    """Load generator (one process): THREADS keep-alive clients cycling through URLS for SECONDS."""
    port, seconds, threads = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    urls = json.loads(Path(sys.argv[5]).read_text())
    counts, errors, lock = [0], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn, n, bad, i = HTTPConnection("127.0.0.1", port, timeout=30), 0, 0, offset
        while time.monotonic() < deadline:
            try:
                conn.request("GET", urls[i % len(urls)])
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    n += 1
                else:
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                bad += 1
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=30)
            i += 7
        with lock:
            counts[0] += n
            errors[0] += bad

    workers = [threading.Thread(target=client, args=(k * 97 + int(sys.argv[6]),)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"ok": counts[0], "errors": errors[0], "seconds": seconds}


def _drive(port: int, urls: list[str], seconds: float) -> dict[str, float]:
    """Two load processes of CLIENTS/2 threads each; requests per second over `seconds`."""
    path = DATA_DIR / f"urls-{os.getpid()}.json"
    path.write_text(json.dumps(urls))
    procs = [subprocess.Popen([sys.executable, "-m", "bench.bench_search", "load", str(port), str(seconds),
                               str(CLIENTS // 2), str(path), str(k)], cwd=ROOT, env=child_env(),
                              stdout=subprocess.PIPE, text=True) for k in range(2)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    path.unlink(missing_ok=True)
    ok, errors = sum(o["ok"] for o in outs), sum(o["errors"] for o in outs)
    return {"rps": round(ok / seconds, 1), "errors": errors}


def measure_http(urls: list[str]) -> dict[str, Any]:
    port = free_port()
    env = {**child_env(), "DJANGO_SETTINGS_MODULE": "bench.search_settings"}
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "pamper.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "-k", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_until_up(port, timeout=60)
        _drive(port, urls, 15)  # warm-up: each worker loads the catalogue matcher and the place index
        _drive(port, ["/bench/ping"], 5)
        rounds = []
        for _ in range(ROUNDS):  # alternate, so a noisy neighbour hits both alike
            ping = _drive(port, ["/bench/ping"], HTTP_SECONDS)
            search = _drive(port, urls, HTTP_SECONDS)
            rounds.append((ping, search))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    ping_rps = statistics.fmean(r[0]["rps"] for r in rounds)
    search_rps = statistics.fmean(r[1]["rps"] for r in rounds)
    return {"ping_rps": round(ping_rps, 1), "search_rps": round(search_rps, 1),
            "ratio": round(search_rps / ping_rps, 3) if ping_rps else None,
            "errors": sum(r[0]["errors"] + r[1]["errors"] for r in rounds), "clients": CLIENTS,
            "rounds": [(r[0]["rps"], r[1]["rps"]) for r in rounds]}

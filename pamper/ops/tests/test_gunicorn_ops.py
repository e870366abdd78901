"""Under gunicorn as bin/run starts it (pamper/gunicorn_conf.py, two workers): the access log is JSON with the
duration and the request id, and /metrics adds up what every worker counted (prometheus multiprocess mode)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pamper.lib.ports import free_port

from .test_demo_accounts import ROOT, subprocess_env
from .test_startup_checks import GOOD


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_json_access_lines_and_metrics_span_workers(tmp_path: Path) -> None:
    port = free_port()
    env = subprocess_env(tmp_path, **{**GOOD, "ALLOWED_HOSTS": "127.0.0.1"})
    env.pop("PAMPER_HTTPS")
    env.pop("PAMPER_TESTING", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "pamper.wsgi", "-c",
                                 "python:pamper.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.3)
        status, headers, _ = get(f"{base}/healthz", **{"X-Request-ID": "from-the-balancer-1"})
        assert status == 200 and headers["X-Request-ID"] == "from-the-balancer-1"
        for _ in range(8):  # spread over both workers
            get(f"{base}/healthz")
        _, _, text = get(f"{base}/metrics")
        counted = sum(float(line.rsplit(" ", 1)[1]) for line in text.decode().splitlines()
                      if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
                      and 'view="healthz"' in line)
        assert counted >= 10
        assert (tmp_path / "metrics").is_dir() and len(list((tmp_path / "metrics").glob("*.db"))) >= 2
        # A long request line (a 5,000-letter search) reaches Pamper and gets its JSON refusal, not gunicorn's
        # HTML 414 page (gunicorn's own limit is 4,094 bytes unless raised).
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(f"{base}/api/v1/search?near=London&q={'a' * 5000}")
        assert refused.value.code == 422 and json.loads(refused.value.read())["errors"][0]["field"] == "q"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    mine = next(line for line in access if line["request_id"] == "from-the-balancer-1")
    assert mine["path"] == "/healthz" and mine["status"] == 200 and mine["method"] == "GET"
    assert isinstance(mine["duration_ms"], float) and mine["duration_ms"] >= 0 and mine["time"].endswith("Z")
    assert any(line["logger"] == "gunicorn.error" and line["level"] == "INFO" for line in lines)

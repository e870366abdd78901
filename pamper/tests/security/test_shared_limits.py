"""Rate limits count across processes on one machine: gunicorn's workers share the budget, so three workers do
not triple it (the default cache without CACHE_URL is a folder every process shares)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HIT = """
import django, time
django.setup()
from pamper.throttles import hit
print(",".join(str(hit("signup", "203.0.113.9", 10, 3600, time.time())) for _ in range({n})))
"""


def _hits(data_dir: Path, n: int) -> list[int]:
    """`n` sign-up hits from one address in a new process with the production cache settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAMPER_TESTING", "CACHE_URL", "DATABASE_URL")}
    env.update(PAMPER_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="pamper.settings")
    out = subprocess.run([sys.executable, "-c", HIT.format(n=n)], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    return [int(x) for x in out.stdout.strip().split(",")]


def test_two_processes_share_one_sign_up_budget(tmp_path: Path) -> None:
    assert _hits(tmp_path, 10) == [0] * 10  # the whole hourly budget, spent in one worker
    refused = _hits(tmp_path, 1)  # the next sign-up from that address reaches another worker
    assert refused[0] > 0, "another process started a fresh count"

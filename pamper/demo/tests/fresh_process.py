"""Code run in a Python process of its own against the test's database: the seed's forked workers may only start
from a process running no other thread (parallel.can_fork), and a test worker runs several."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.db import connection


def run_in_fresh_process(code: str) -> Any:
    """Run `code` (it calls django.setup() itself) on the test's database; returns its last line of output, read
    as JSON. Fails the test with the end of its error output when it fails."""
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pamper.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])

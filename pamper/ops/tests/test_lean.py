"""A web process keeps out what it does not need (pamper/lib/lean.py, issue 19: memory per gunicorn worker)."""

from __future__ import annotations

import base64
import gc
import json
import subprocess
import sys
from pathlib import Path

from pamper.lib.lean import Collector

from .test_demo_accounts import ROOT, subprocess_env

# Loaded by the web process before this change only because something imported them at start-up, never used by
# a request: Django's test package (through django-ninja) and cryptography (the health keys). (Babel's catalogue
# compiler is left out of the check: a process that finds a stale catalogue at start does load it.)
KEPT_OUT = ["django.test", "django.test.client", "unittest", "jinja2", "cryptography"]


def test_the_web_process_loads_its_urls_without_test_tools_or_cryptography(tmp_path: Path) -> None:
    code = ("import json, sys; import pamper.wsgi; from django.urls import get_resolver; "
            "get_resolver().url_patterns; "
            f"print(json.dumps([m for m in {KEPT_OUT!r} if m in sys.modules] + "
            "[m for m in ('ninja', 'django.test.signals', 'pamper.api') if m not in sys.modules]))")
    # A configured key, as in production: a fresh data directory would have one made (with cryptography).
    env = subprocess_env(tmp_path, PAMPER_HEALTH_KEYS=base64.urlsafe_b64encode(bytes(32)).decode())
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_health_data_still_encrypts_and_refuses_a_bad_token_once_cryptography_loads_late() -> None:
    from pamper.clinical import crypto

    token = crypto.encrypt(b"patch test: no reaction")
    assert crypto.decrypt(token) == b"patch test: no reaction"
    try:
        crypto.decrypt(b"not a token")
    except crypto.InvalidToken:
        pass
    else:
        raise AssertionError("a bad token was accepted")


def test_the_collector_frees_request_garbage_after_each_request_and_freezes_when_due() -> None:
    collector = Collector(refreeze_at=(1, 3), trim_every=1)
    frozen = gc.get_freeze_count()
    try:
        collector.started()
        assert gc.get_freeze_count() >= frozen
        for served in range(1, 4):
            collector.before_request()
            cycle: list[object] = []
            cycle.append(cycle)
            del cycle
            collector.after_request()
            assert gc.collect() == 0  # the request's cycle was already collected
            assert collector.refrozen == (2 if served >= 3 else 1)
        assert collector.in_flight == 0 and collector.served == 3
    finally:
        gc.unfreeze()


def test_the_collector_does_not_freeze_while_another_request_is_in_flight() -> None:
    collector = Collector(refreeze_at=(1, 4))
    collector.before_request()
    collector.before_request()
    collector.after_request()
    assert collector.refrozen == 0
    collector.after_request()
    assert collector.refrozen == 1
    for _ in range(3):  # served 3, 4, 5: the second freeze comes at the 4th
        collector.before_request()
        collector.after_request()
    assert collector.refrozen == 2 and collector.served == 5
    gc.unfreeze()

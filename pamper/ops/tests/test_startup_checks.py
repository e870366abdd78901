"""A production install refuses to start half-configured: `check --deploy`, `pamper check_startup` and gunicorn.

Production is a database other than SQLite or PAMPER_HTTPS=1. There a generated secret, a SITE_URL on localhost
or an in-process cache behind several processes is an error whose hint names the variable to set.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test import override_settings

from pamper.ops.checks import is_local_host

from .test_demo_accounts import ROOT, manage, subprocess_env

GOOD = {"SECRET_KEY": "k" * 20 + "-production-secret-" + "x" * 40,
        "PAMPER_HEALTH_KEYS": "m1n2Sg1UoVkCqDO8hz0uPTzbNnhk1q2gddQ9XbGFmSU=",
        "SITE_URL": "https://pamper.example", "ALLOWED_HOSTS": "pamper.example", "PAMPER_HTTPS": "1"}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/1"}}


def ours(**settings: object) -> dict[str, str]:
    """The ops.E00x messages (not E001, the demo accounts) by id -> message and hint, under these settings."""
    with override_settings(**settings):
        found = run_checks(include_deployment_checks=True)
    return {m.id: f"{m.msg} {m.hint}" for m in found if m.id in {"ops.E002", "ops.E003", "ops.E004"}}


def test_local_hosts() -> None:
    assert all(map(is_local_host, ["localhost", "127.0.0.1", "127.8.0.1", "::1", "[::1]", "0.0.0.0", "a.localhost"]))
    assert not any(map(is_local_host, ["pamper.example", "10.0.0.4", "2001:db8::1"]))


@pytest.mark.django_db
def test_each_half_configured_setting_is_an_error_that_names_what_to_set() -> None:
    complete = {"HTTPS": True, "GENERATED_SECRETS": [], "SITE_URL": "https://pamper.example", "WEB_PROCESSES": 3,
                "CACHES": REDIS}
    assert ours(**complete) == {}
    secret = ours(**{**complete, "GENERATED_SECRETS": ["SECRET_KEY"]})["ops.E002"]
    assert "Set SECRET_KEY in the environment of every node" in secret
    health = ours(**{**complete, "GENERATED_SECRETS": ["PAMPER_HEALTH_KEY"]})["ops.E002"]
    assert "Set PAMPER_HEALTH_KEYS" in health and "cannot be read without it" in health
    site = ours(**{**complete, "SITE_URL": "http://127.0.0.1:8000"})["ops.E003"]
    assert "Set SITE_URL to the public address" in site
    cache = ours(**{**complete, "CACHES": LOCMEM})["ops.E004"]
    assert "3 web processes" in cache and "CACHE_URL=redis://" in cache
    assert ours(**{**complete, "CACHES": LOCMEM, "WEB_PROCESSES": 1}) == {}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL is production whatever HTTPS says")
@pytest.mark.django_db
def test_a_trial_on_sqlite_without_https_is_not_production() -> None:
    assert ours(HTTPS=False, GENERATED_SECRETS=["SECRET_KEY", "PAMPER_HEALTH_KEY"],
                SITE_URL="http://127.0.0.1:8000", CACHES=LOCMEM, WEB_PROCESSES=4) == {}


def fresh_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A production environment on a fresh data folder and the test database."""
    return subprocess_env(tmp_path, **extra)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_check_deploy_and_check_startup_fail_until_everything_is_set(tmp_path: Path) -> None:
    half = {k: v for k, v in GOOD.items() if k not in {"SECRET_KEY", "PAMPER_HEALTH_KEYS", "SITE_URL"}}
    failed = manage("check", "--deploy", env=fresh_env(tmp_path, **half))
    assert failed.returncode != 0
    for needed in ("ops.E002", "Set SECRET_KEY", "Set PAMPER_HEALTH_KEYS", "ops.E003", "Set SITE_URL"):
        assert needed in failed.stderr, failed.stderr
    refused = manage("check_startup", env=fresh_env(tmp_path, **half))
    assert refused.returncode == 1 and "will not start half-configured" in refused.stderr
    complete = manage("check", "--deploy", "--fail-level", "WARNING", env=fresh_env(tmp_path, **GOOD))
    assert complete.returncode == 0, complete.stdout + complete.stderr
    assert manage("check_startup", env=fresh_env(tmp_path, **GOOD)).returncode == 0


@pytest.mark.django_db(transaction=True)
def test_gunicorn_refuses_to_start_half_configured(tmp_path: Path) -> None:
    env = fresh_env(tmp_path, **{**GOOD, "SITE_URL": "http://localhost:8000"})
    proc = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "pamper.wsgi", "-c",
                           "python:pamper.gunicorn_conf", "--bind", "127.0.0.1:0", "--workers", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode != 0
    assert "ops.E003" in proc.stderr and "Set SITE_URL" in proc.stderr, proc.stderr

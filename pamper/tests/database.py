"""The test database, copied from a migrated template instead of migrated afresh by every test process.

pytest-django creates each xdist worker's database by running every migration (4 to 7 s of CPU per worker and per
run on this machine, 17 to 20 s of wall time while the other worker runs tests). Here the first process that needs
a database migrates a template once, `manage.py migrate --run-syncdb` on the same settings, and every worker copies
it: a file copy for SQLite (DATA_DIR/test-template-KEY.sqlite3), `CREATE DATABASE ... TEMPLATE` for PostgreSQL
(test_pamper_tmpl_KEY, one per server, shared by every run and by the tests that need a migrated PostgreSQL
database of their own: create_from_template, or pg_dump under the same lock). KEY is a hash of every installed
app's migration files and Django's version, so a changed or new migration builds a new template (and drops the
old one). Then pytest-django's own set-up runs as before on the copy (`migrate` with nothing left to apply, the
cache table, serialisation) and the copy is dropped at the end.

The template outlives the run, like a cache: the next run skips the migrations altogether. With --reuse-db or
--nomigrations pytest-django's own set-up runs unchanged. Registered in the root conftest.py (pytest_plugins).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

import django
import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.test.utils import setup_databases, teardown_databases
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

ROOT = Path(__file__).resolve().parents[2]


def migrations_key() -> str:
    """A hash of every migration file of every installed app, and of Django's version."""
    digest = hashlib.sha256(django.__version__.encode())
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.migrations")
        except ImportError:
            continue
        for path in sorted(Path(module.__path__[0]).glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked() -> Iterator[None]:
    """One process of this run at a time builds or copies the template (the xdist workers start together)."""
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    with (Path(settings.DATA_DIR) / "test-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(url: str) -> None:
    """Every migration on the database at `url`, in a process of its own with this run's settings."""
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--run-syncdb", "--no-input", "-v", "0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        raise RuntimeError(f"migrating the test template failed:\n{done.stdout}{done.stderr}")


def sqlite_template(key: str) -> Path:
    """The migrated SQLite template for this migrations key (DATA_DIR/test-template-KEY.sqlite3), built if it is
    missing; older templates are deleted. Call it holding _locked()."""
    template = Path(settings.DATA_DIR) / f"test-template-{key}.sqlite3"
    if not template.exists():
        for old in Path(settings.DATA_DIR).glob("test-template-*.sqlite3*"):
            old.unlink()
        building = template.with_suffix(".building")
        for leftover in building.parent.glob(building.name + "*"):
            leftover.unlink()
        _migrate(f"sqlite:///{building}")  # its last connection closed: the WAL is folded into the file
        building.rename(template)
    return template


def _sqlite(test_name: str, key: str) -> None:
    template = sqlite_template(key)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(test_name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, test_name)


LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432"  # the machine's PostgreSQL, as bin/test and CI use it


def server_reachable(server: str = LOCAL_SERVER) -> bool:
    """True when the PostgreSQL `server` (postgresql://user@host:port) answers within two seconds."""
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=2).close()
    except psycopg.Error:
        return False
    return True


# One template per migrations key on a PostgreSQL server, whichever run or database name uses it; while one
# process builds it, or copies it (CREATE DATABASE ... TEMPLATE, or pg_dump), others wait on this advisory lock.
TEMPLATE_LOCK = 7_263_512


def template_name(key: str) -> str:
    return f"test_pamper_tmpl_{key}"


@contextmanager
def postgres_template(server: str, password: str | None = None) -> Iterator[tuple[psycopg.Connection, str]]:
    """The migrated template on the PostgreSQL `server` (postgresql://user@host:port), built if it is missing
    (older templates are dropped), held under the template lock: yields the server's admin connection and the
    template's name. What the caller does with it (copy it) happens before another process may touch it."""
    key = migrations_key()
    template = template_name(key)
    with psycopg.connect(f"{server}/postgres", password=password, autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
        try:
            names = {name for name, in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%%\\_tmpl\\_%%'")}
            if template not in names:
                for old in names - {f"{template}_building"}:
                    admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
                building = f"{template}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                _migrate(f"{server}/{building}")
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            yield admin, template
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])


def create_from_template(server: str, name: str, password: str | None = None) -> None:
    """A new database `name` on `server`, migrated: a copy of the template (milliseconds) instead of a migrate
    (9 s of CPU on this machine, most of it Django rendering model states)."""
    with postgres_template(server, password) as (admin, template):
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _postgres(settings_dict: dict[str, Any], test_name: str) -> None:
    host, port, user = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432, settings_dict["USER"]
    server, password = f"postgresql://{user}@{host}:{port}", settings_dict.get("PASSWORD") or None
    create_from_template(server, test_name, password)
    # A test database need not survive a crash: a commit (every request of a live-server test, every write of a
    # transactional one) returns without waiting for the WAL to reach the disk.
    with psycopg.connect(f"{server}/postgres", password=password, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{test_name}" SET synchronous_commit = off')


def copy_template(alias: str, key: str) -> bool:
    """Put a copy of the migrated template where `alias`'s test database goes; False where there is no template
    for that kind of database (in memory, another vendor, a test mirror)."""
    connection = connections[alias]
    test_settings = connection.settings_dict.get("TEST", {})
    if test_settings.get("MIRROR"):
        return False
    test_name = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(test_name):
        _sqlite(str(test_name), key)
        return True
    if connection.vendor == "postgresql":
        _postgres(connection.settings_dict, test_name)
        return True
    return False


@pytest.fixture(scope="session")
def django_db_setup(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest, django_test_environment, django_db_blocker, django_db_use_migrations: bool,
    django_db_keepdb: bool, django_db_createdb: bool, django_db_modify_db_settings,
) -> Iterator[None]:
    """pytest-django's django_db_setup on a copy of the migrated template."""
    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    templated, copied = django_db_use_migrations and not keepdb, []
    with django_db_blocker.unblock():
        if templated:
            key = migrations_key()
            with _locked():
                copied = [alias for alias in sorted(aliases) if copy_template(alias, key)]
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized,
                                 keepdb=keepdb or bool(copied))
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            for alias in aliases:
                _end_other_sessions(alias)
            teardown_databases(db_cfg, verbosity=verbosity)


def _end_other_sessions(alias: str) -> None:
    """End every other session on `alias`'s PostgreSQL test database before it is dropped at the end of the run.

    A connection this process opened in another context than the one tearing down (it held prepared statements:
    its last command was psycopg's DEALLOCATE ALL after a ROLLBACK) was still open there, and the DROP DATABASE
    failed, "being accessed by other users": an error on the worker's last test of a PostgreSQL run of a few
    directories (`pytest -n 2 pamper/catalog pamper/search pamper/seo`). The run is over; nothing needs them."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.settings_dict.get("TEST", {}).get("MIRROR"):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def delete_not_truncate(original: Any) -> Any:
    """PostgreSQL's sql_flush for the tests: DELETE FROM every table instead of one TRUNCATE of them all.

    A transactional test (live server, browser journey, two connections) ends with Django's flush. On PostgreSQL
    that is a TRUNCATE of every table, which gives each of the 70-odd tables new files: half a second a test, with
    the tests' few rows in them. DELETE leaves the files and costs milliseconds; `SET CONSTRAINTS ALL DEFERRED`
    first lets the order be any (Django's foreign keys are deferrable; the flush runs in one transaction). When a
    caller asks for the sequences to restart, the original TRUNCATE ... RESTART IDENTITY runs as before."""

    def sql_flush(self: Any, style: Any, tables: list[str], *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        if reset_sequences or not tables:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        quote = self.quote_name
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {quote(table)}" for table in tables)]

    return sql_flush


@pytest.fixture(scope="session", autouse=True)
def _quick_flush() -> Iterator[None]:
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = delete_not_truncate(original)
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = original


def prepare() -> None:
    """Build the migrated template a test run on this database will copy, before its workers start (bin/test runs
    this beside the place index build): the SQLite one in DATA_DIR, or the PostgreSQL one on DATABASE_URL's server
    when it answers. Inside the run the first worker built the template while the other waited on the lock with
    nothing to do, after the place index had been built with one core idle too; side by side they take the time of
    one. The settings are the run's own, so the migrations key is too."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        with _locked():
            sqlite_template(migrations_key())
        return
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        server = f"postgresql://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        password = params.get("PASSWORD") or None
        if server_reachable(server):
            with postgres_template(server, password):
                pass


if __name__ == "__main__":  # python -m pamper.tests.database, with the test run's environment
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    django.setup()
    prepare()

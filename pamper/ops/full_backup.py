"""One backup of everything a Pamper install holds: the database, the uploaded files and the health keys.

`backup_all(target)` writes target/database.sqlite3 (SQLite's backup API, `pamper.ops.backup`) or
target/database.pgdump (`pg_dump -Fc`), then the files and the keys through `pamper.ops.files_backup`
(target/files/, target/health-keys with mode 0600: move that file apart). `restore_all(source, keys)` checks
first that the keys the backup was made with will be configured, then restores the database
(`restore_sqlite` or `pg_restore --clean`) and the files. Run it with the web and worker processes stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from pamper.ops.backup import backup_sqlite, restore_sqlite
from pamper.ops.files_backup import KEYS_FILE, backup_files, restore_files

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


@dataclass(frozen=True)
class Summary:
    database: Path
    files: int
    keys: Path
    note: str = ""


def _pg_command(name: str, db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The PostgreSQL client command `name` pointed at db's settings, and its environment (password)."""
    binary = shutil.which(name) or name
    args = [binary, "-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres"), "-d", str(db["NAME"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, timeout=3600)  # noqa: S603  (our own pg_dump/pg_restore with settings values)
    if done.returncode:
        raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup_database(target: Path) -> Path:
    """Copy the default database into target (a folder); returns the file written."""
    db = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return _backup_sqlite(Path(db["NAME"]), target / SQLITE_FILE)
    out = target / PG_FILE
    args, env = _pg_command("pg_dump", db)
    _run([*args, "-Fc", "--no-owner", "-f", str(out)], env)
    out.chmod(0o600)
    return out


def _backup_sqlite(source: Path, out: Path) -> Path:
    backup_sqlite(source, out)
    out.chmod(0o600)
    return out


def restore_database(source: Path) -> Path:
    """Replace the default database with the copy in source; returns the file read."""
    db = connections["default"].settings_dict
    vendor = connections["default"].vendor
    connections.close_all()
    if vendor == "sqlite":
        restore_sqlite(source / SQLITE_FILE, Path(db["NAME"]))
        return source / SQLITE_FILE
    dump = source / PG_FILE
    if not dump.exists():
        raise FileNotFoundError(dump)
    args, env = _pg_command("pg_restore", db)
    # --clean drops what the dump holds before it makes it again, in one transaction: all or nothing.
    _run([*args, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(dump)], env)
    return dump


def backup_all(target: Path) -> Summary:
    """The database, every stored file and the health keys into target (created, 0700)."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = backup_database(target)
    files = backup_files(target)
    return Summary(database=database, files=files, keys=target / KEYS_FILE)


def read_keys(path: Path) -> list[str]:
    """The health keys a backup_files keys file holds (comma-separated, newest first)."""
    keys = [key.strip() for key in path.read_text().split(",") if key.strip()]
    if not keys:
        raise ValueError(f"{path} holds no keys")
    return keys


def install_keys(keys: list[str]) -> str:
    """Make the backup's keys this install's keys, or raise ValueError saying what the operator must set.

    Keys from the environment (PAMPER_HEALTH_KEYS) must already include every backup key. An install whose
    single key was generated into the data folder gets the backup's key written there (0600). Returns a note.
    """
    if set(keys) <= set(settings.PAMPER_HEALTH_KEYS):
        return "The configured health keys read the backup."
    if "PAMPER_HEALTH_KEY" in settings.GENERATED_SECRETS and len(keys) == 1:
        path = settings.DATA_DIR / "health_key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(keys[0])
        settings.PAMPER_HEALTH_KEYS = list(keys)
        return f"The backup's health key was written to {path}."
    raise ValueError("The health data in this backup needs other keys than the ones configured: set "
                     "PAMPER_HEALTH_KEYS to the content of the backup's keys file on every node, then restore.")


def restore_all(source: Path, keys_file: Path | None = None) -> Summary:
    """Restore what backup_all wrote in source, with the keys in keys_file (default source/health-keys).

    The keys are checked before anything is replaced: a restore never leaves health data nobody can read.
    """
    keys_path = keys_file or source / KEYS_FILE
    if not keys_path.exists():
        raise FileNotFoundError(f"No health keys at {keys_path} (pass --keys with the file kept apart)")
    note = install_keys(read_keys(keys_path))
    database = restore_database(source)
    files = restore_files(source) if (source / "files").is_dir() else 0  # no uploads: no folder
    return Summary(database=database, files=files, keys=keys_path, note=note)

"""Consistent online backups of the SQLite database with SQLite's backup API.

The backup API copies pages while other connections keep reading and writing
(WAL mode), and the copy is a consistent snapshot. PostgreSQL deployments use
pg_dump / pg_restore instead (see README).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_sqlite(source: Path, target: Path, pages_per_step: int = 1024) -> int:
    """Copy the database at source to target (overwritten); returns the copy's page count.

    Raises ValueError when the copy fails SQLite's integrity check.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=pages_per_step)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise ValueError(f"The backup failed its integrity check: {check}")
    partial.replace(target)
    return int(pages)


def restore_sqlite(backup: Path, target: Path) -> int:
    """Copy a backup over the live database at target through the backup API; returns pages."""
    if not backup.exists():
        raise FileNotFoundError(backup)
    with sqlite3.connect(backup) as src:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise ValueError(f"The backup is damaged: {check}")
        with sqlite3.connect(target) as dst:
            src.backup(dst)
            return int(dst.execute("PRAGMA page_count").fetchone()[0])

"""A backup taken while the database is in use restores to the same rows."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from pamper.ops.backup import backup_sqlite, restore_sqlite


def make_db(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE booking (id INTEGER PRIMARY KEY, note TEXT)")
        db.executemany("INSERT INTO booking (note) VALUES (?)", [(f"visit {i}",) for i in range(rows)])


def test_round_trip_while_a_writer_is_busy(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.sqlite3", tmp_path / "backups" / "copy.sqlite3"
    make_db(live, 5000)
    stop = threading.Event()

    def writer() -> None:
        with sqlite3.connect(live, timeout=10) as db:
            while not stop.is_set():
                db.execute("INSERT INTO booking (note) VALUES ('late')")
                db.commit()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        backup_sqlite(live, copy, pages_per_step=5)
    finally:
        stop.set()
        thread.join()
    with sqlite3.connect(copy) as db:
        count = db.execute("SELECT count(*) FROM booking").fetchone()[0]
        assert count >= 5000
        assert db.execute("SELECT note FROM booking WHERE id = 1").fetchone()[0] == "visit 0"
    # Damage the live database's contents, then restore the copy over it.
    with sqlite3.connect(live) as db:
        db.execute("DELETE FROM booking")
    restore_sqlite(copy, live)
    with sqlite3.connect(live) as db:
        assert db.execute("SELECT count(*) FROM booking").fetchone()[0] == count


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises((ValueError, sqlite3.DatabaseError)):
        restore_sqlite(bad, tmp_path / "live.sqlite3")

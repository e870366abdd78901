"""Copies of the uploaded files and the health keys, beside a database backup (pg_dump or `pamper backup_db`).

`backup_files(target)` copies every file of the file storage (pamper.lib.storage: the local folder or the S3
bucket) under target/files/, as stored (clinical photos stay Fernet tokens), and writes the health keys to
target/health-keys, readable by its owner only: keep that file apart from the rest (another disk, a secret
store), since whoever holds both reads the health data. `restore_files(source)` writes the files back through
the storage; the keys go back into PAMPER_HEALTH_KEYS by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from pamper.lib import storage

KEYS_FILE = "health-keys"


def _walk(folder: str = "") -> Iterator[str]:
    """Every file name in the storage under folder (none when the local folder was never made: no uploads)."""
    try:
        dirs, files = storage.files().listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from _walk(f"{folder}/{sub}" if folder else sub)


def backup_files(target: Path) -> int:
    """Copy every stored file under target/files and the health keys to target/health-keys (0600); returns how
    many files."""
    copied = 0
    for name in _walk():
        path = target / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(storage.read(name))
        path.chmod(0o600)
        copied += 1
    keys = target / KEYS_FILE
    fd = os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(",".join(settings.PAMPER_HEALTH_KEYS) + "\n")
    return copied


def restore_files(source: Path) -> int:
    """Write every file under source/files back into the storage (overwriting); returns how many."""
    root = source / "files"
    if not root.is_dir():
        raise FileNotFoundError(root)
    restored = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        storage.write(path.relative_to(root).as_posix(), path.read_bytes())
        restored += 1
    return restored

"""Uploaded files, through Django's storage API: the one door every app uses for files.

    from pamper.lib import storage
    name = storage.unique_name("venue-photos", ".webp")   # a fresh, unguessable name under a folder
    storage.write(name, data)                             # bytes in (overwrites: the name is yours)
    storage.read(name)                                    # bytes out; FileNotFoundError when it is gone
    storage.delete(name)                                  # a missing file is fine
    storage.files()                                       # the Storage itself (exists, size, listdir, ...)

`files()` is `django.core.files.storage.storages["default"]`, i.e. `default_storage`, configured in
settings.STORAGES: the local folder settings.MEDIA_ROOT (DATA_DIR/private) by default, or an S3-compatible bucket
(AWS S3, MinIO, Ceph, R2 ...) through django-storages when S3_BUCKET is set (S3_ENDPOINT_URL, S3_ACCESS_KEY_ID,
S3_SECRET_ACCESS_KEY, S3_REGION, S3_PREFIX, S3_ADDRESSING_STYLE: see .env.example). Several web machines then
share every upload.

Rules for callers:
- Names are relative paths with "/" (no leading slash, no ".."); they are the key you keep in your model.
  Writing a name that exists overwrites it, on the local folder as on S3 (FileSystemStorage runs with
  allow_overwrite), so pick fresh names with `unique_name`.
- Nothing here is public: the bucket is private and the local folder is outside the static tree. Serve a file
  through a view that checks who may see it and returns `read(name)`, never a storage URL.
- Health data (clinical progress photos, `pamper.clinical.photos`) is encrypted with the health keys before it
  reaches `write`: no plaintext leaves the process. Venue photos are public pictures and are stored as they are.
- Tests get a fresh local folder per test (conftest's `_private_media`); the `s3_storage` fixture
  (pamper/tests/s3.py, a real moto S3 server started once per session) points the default storage at a bucket.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


def files() -> Storage:
    """The storage for uploaded files (settings.STORAGES["default"])."""
    return storages["default"]


def _checked(name: str) -> str:
    if not name or name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise ValueError(f"bad file name: {name!r}")
    return name


def unique_name(folder: str, suffix: str = "") -> str:
    """A fresh name under folder, e.g. "venue-photos/3f/3fa9...e1.webp" (160 random bits, fanned out by 2 hex)."""
    token = secrets.token_hex(20)
    return _checked(f"{folder.strip('/')}/{token[:2]}/{token}{suffix}")


def write(name: str, data: bytes) -> None:
    """Store data under exactly this name (overwriting); raises RuntimeError if the storage chose another name."""
    saved = files().save(_checked(name), ContentFile(data))
    if saved != name:
        raise RuntimeError(f"the storage saved {name!r} as {saved!r}: configure it to overwrite")


def read(name: str) -> bytes:
    """The file's bytes; FileNotFoundError when there is none (on every backend)."""
    storage = files()
    try:
        with storage.open(_checked(name), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise
    except OSError as exc:  # django-storages raises its own "file does not exist" error
        if not storage.exists(name):
            raise FileNotFoundError(name) from exc
        raise


def delete(name: str) -> None:
    """Remove the file; a missing one is fine."""
    files().delete(_checked(name))


def exists(name: str) -> bool:
    return files().exists(_checked(name))

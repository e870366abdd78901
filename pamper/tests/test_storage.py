"""pamper.lib.storage behaves the same on the local folder and on an S3-compatible server (moto, for real)."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage

from pamper.lib import storage


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return str(request.param)


def test_write_read_overwrite_delete(backend: str) -> None:
    name = storage.unique_name("venue-photos", ".webp")
    assert name.startswith("venue-photos/") and name.endswith(".webp") and name.split("/")[1] == name[16:18]
    assert not storage.exists(name)
    with pytest.raises(FileNotFoundError):
        storage.read(name)
    storage.write(name, b"first")
    assert storage.read(name) == b"first"
    storage.write(name, b"second, longer")  # the same name, overwritten on both backends
    assert storage.read(name) == b"second, longer"
    assert storage.files().size(name) == len(b"second, longer")
    storage.delete(name)
    storage.delete(name)  # a missing file is fine
    assert not storage.exists(name)
    assert isinstance(storage.files(), FileSystemStorage) == (backend == "local")


@pytest.mark.parametrize("name", ["", "/etc/passwd", "a/../../b", "..", "a\\b"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="bad file name"):
        storage.write(name, b"x")


def test_local_files_are_private(settings) -> None:  # type: ignore[no-untyped-def]
    name = storage.unique_name("clinical-photos")
    storage.write(name, b"secret")
    path = settings.MEDIA_ROOT / name
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0

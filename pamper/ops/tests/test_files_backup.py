"""Uploaded files and the health keys are backed up and restored: a clinical photo opens again afterwards, from the
local folder and from an S3 bucket (the database itself: test_backup.py, pg_dump on PostgreSQL)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pamper.clinical import photos
from pamper.clinical.tests.conftest import NOW, World
from pamper.clinical.tests.planting import plant
from pamper.lib import storage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["local", "s3"])
def test_photos_are_readable_after_a_restore(world: World, tmp_path: Path, settings, request,  # type: ignore[no-untyped-def]
                                             where: str) -> None:
    if where == "s3":
        request.getfixturevalue("s3_storage")
    planted = plant(world, NOW)
    name = photos.name_for(planted.photo.storage_name)
    call_command("backup_files", str(tmp_path / "backup"), stdout=StringIO())
    keys = tmp_path / "backup" / "health-keys"
    assert keys.read_text().strip() == ",".join(settings.PAMPER_HEALTH_KEYS)
    assert keys.stat().st_mode & 0o077 == 0
    copy = (tmp_path / "backup" / "files" / name).read_bytes()
    assert planted.photo_plain[100:160] not in copy  # still encrypted in the backup

    storage.delete(name)  # the disk or the bucket is lost
    with pytest.raises(FileNotFoundError):
        photos.load(planted.photo.storage_name)
    out = StringIO()
    call_command("restore_files", str(tmp_path / "backup"), stdout=out)
    assert "Restored 1 files" in out.getvalue()
    settings.PAMPER_HEALTH_KEYS = keys.read_text().strip().split(",")  # the keys from their separate file
    assert photos.load(planted.photo.storage_name) == planted.photo_plain


def test_restoring_from_a_folder_without_files_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No files folder"):
        call_command("restore_files", str(tmp_path))
